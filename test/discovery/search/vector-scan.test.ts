// The cosine scan of `find` (vectorScores over the index's int8 block, by the WebAssembly SIMD
// kernel int8-dot.wat): the same cosines a plain float computation gives, for dimension counts
// that are and are not multiples of the kernel's sixteen lanes, every document or only those the
// filters let through, and an index of several blocks in one process.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CompactIndex, encodeIndex, indexEntry } from '../../../src/discovery/search/compact-index.js';
import { serviceDocuments } from '../../../src/discovery/search/tool-documents.js';
import { vectorScores, type SearchIndex } from '../../../src/discovery/search/search-index.js';
import { l2Normalize } from '../../../src/discovery/search/embedder.js';

function randomIndex(dims: number, tools: number, seed: number) {
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const vector = () => l2Normalize(Float32Array.from({ length: dims }, random));
  const service = { name: 'many', description: '', tags: [], url: 'https://gw/many/mcp' };
  const list = Array.from({ length: tools }, (_, i) => ({ name: `tool_${i}`, description: `Tool ${i}`, inputSchema: { type: 'object' } }));
  const entries = serviceDocuments(service, list).map((doc) => indexEntry(doc, vector()));
  const compact = CompactIndex.decode(encodeIndex(entries, dims, `gen-${dims}`));
  const manifest = { format: 0, generation: `gen-${dims}`, embedder: 'test', dimensions: dims, builtAt: '', sources: {} } as unknown as SearchIndex['manifest'];
  return { index: { compact, manifest }, query: vector() };
}

/** The cosine of the query with each stored (int8) row, in float arithmetic. */
function plainCosines({ compact }: SearchIndex, query: Float32Array): number[] {
  const dims = compact.header.dimensions;
  return Array.from({ length: compact.count }, (_, doc) => {
    let dot = 0, norm = 0;
    for (let d = 0; d < dims; d++) {
      const x = compact.vectors![doc * dims + d]!;
      dot += x * query[d]!;
      norm += x * x;
    }
    return norm > 0 ? dot / Math.sqrt(norm) : 0;
  });
}

describe('vector scan (SIMD kernel)', () => {
  for (const dims of [100, 512, 16, 7]) {
    it(`gives every document its cosine (${dims} dimensions)`, () => {
      const { index, query } = randomIndex(dims, 300, dims);
      const scanned = vectorScores(index, query, {});
      const expected = plainCosines(index, query);
      assert.equal(scanned.docs.length, 301);
      for (const doc of scanned.docs) assert.ok(Math.abs(scanned.scores[doc]! - expected[doc]!) < 1e-3, `document ${doc}: ${scanned.scores[doc]} against ${expected[doc]}`);
      const best = (scores: ArrayLike<number>) => Array.from(scores, (s, doc) => [s, doc] as const).sort((a, b) => b[0] - a[0]).slice(0, 10).map(([, doc]) => doc);
      assert.deepEqual(best(scanned.scores), best(expected), 'the same ten best');
    });
  }

  it('scores only the documents the filters let through', () => {
    const { index, query } = randomIndex(100, 200, 3);
    const onlyOdd = vectorScores(index, query, { allow: (_, tool) => Number(tool.slice(5)) % 2 === 1 });
    assert.ok(onlyOdd.docs.length > 90 && onlyOdd.docs.length < 110);
    assert.ok(onlyOdd.docs.every((doc) => index.compact.kind[doc] === 1 || Number(index.compact.id(doc).slice(10)) % 2 === 1));
  });

  it('keeps the blocks of several open indexes apart', () => {
    const a = randomIndex(64, 50, 11);
    const b = randomIndex(64, 80, 12);
    const first = vectorScores(a.index, a.query, {}).scores.slice();
    vectorScores(b.index, b.query, {});
    assert.deepEqual(vectorScores(a.index, a.query, {}).scores, first, 'scanning another index changed nothing of the first');
  });
});
