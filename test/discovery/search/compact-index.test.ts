// The compact index's pure parts: the BM25 scorer, k-best selection, the sorted string table,
// and the saved form's round trip (what is written reads back the same, and searches alike).
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { idf, scoreBm25f, type FieldPostings } from '../../../src/discovery/search/bm25.js';
import { kthLargest, topK } from '../../../src/discovery/search/top-k.js';
import { encodeStrings, StringTable } from '../../../src/discovery/search/string-table.js';
import { CompactIndex, encodeIndex, indexEntry, quantize } from '../../../src/discovery/search/compact-index.js';
import { serviceDocuments } from '../../../src/discovery/search/tool-documents.js';
import { textTokens } from '../../../src/discovery/search/text-tokens.js';

const table = (words: string[]) => {
  const { offsets, bytes } = encodeStrings(words);
  return new StringTable(offsets, bytes);
};

/** A field over a tiny corpus: documents as lists of words (repeats counted). */
function field(docs: string[][]): FieldPostings {
  const terms = [...new Set(docs.flat())].sort();
  const postings = terms.map((t) => Uint32Array.from(docs.flatMap((words, doc) => (words.includes(t) ? [doc] : []))));
  const frequencies = terms.map((t) => Uint16Array.from(docs.flatMap((words) => (words.includes(t) ? [words.filter((w) => w === t).length] : []))));
  const lengths = Uint32Array.from(docs, (d) => d.length);
  return { termIndex: (t) => terms.indexOf(t), postings: (t) => postings[t]!, frequencies: (t) => frequencies[t]!, lengths, averageLength: lengths.reduce((s, n) => s + n, 0) / docs.length };
}

describe('compact search index', () => {
  it('BM25F weighs rare words higher, saturates repeats, discounts long fields and lets a name match outweigh a description match', () => {
    const names = field([['rain'], ['total'], ['stock']]);
    const descriptions = field([['forecast', 'for', 'a', 'city'], ['rain', 'rain', 'rain', 'total', 'for', 'the', 'month', 'across', 'many', 'places'], ['rain', 'quote']]);
    const fields = [{ field: names, weight: 3, b: 0.5 }, { field: descriptions, weight: 1, b: 0.75 }];
    const { docs: hit, scores } = scoreBm25f(fields, new Map([['rain', 1]]), 3);
    assert.deepEqual(hit.sort(), [0, 1, 2]);
    assert.ok(scores[0]! > scores[1]! && scores[0]! > scores[2]!, 'the name match leads');
    assert.ok(scores[2]! > scores[1]! * 0.8, 'three repeats in a long description do not triple the score');
    const half = scoreBm25f(fields, new Map([['rain', 0.5]]), 3);
    assert.ok(Math.abs(half.scores[0]! - scores[0]! / 2) < 1e-9, 'a query term counts by its weight');
    const filtered = scoreBm25f(fields, new Map([['rain', 1]]), 3, (doc) => doc !== 0);
    assert.deepEqual(filtered.docs.sort(), [1, 2]);
    assert.ok(idf(1, 100) > idf(50, 100));
  });

  it('topK keeps the best candidates in order, ties by lower candidate', () => {
    const scores = Float64Array.from([0.1, 0.9, 0.5, 0.9, 0.3, 0.7]);
    assert.deepEqual(topK([0, 1, 2, 3, 4, 5], scores, 3), [1, 3, 5]);
    assert.deepEqual(topK([0, 1, 2, 3, 4, 5], scores, 10), [1, 3, 5, 2, 4, 0]);
    assert.deepEqual(topK([0, 2, 4], scores, 2), [2, 4]);
    assert.deepEqual(topK([], scores, 3), []);
    assert.equal(kthLargest(Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6]), 3), 5);
    assert.equal(kthLargest(Float64Array.from([2, 2, 2]), 2), 2);
  });

  it('a sorted string table finds exact strings and prefix ranges over the raw bytes', () => {
    const t = table(['file', 'files', 'filter', 'fold', 'rain']);
    assert.deepEqual(t.prefixRange('fil'), [0, 3]);
    assert.deepEqual(t.prefixRange('files'), [1, 2]);
    assert.deepEqual(t.prefixRange('zzz'), [5, 5]);
    assert.equal(t.indexOf('fil'), -1);
    assert.equal(t.indexOf('fold'), 3);
    assert.equal(t.get(4), 'rain');
  });

  it('the saved form reads back the same documents, words and vectors, and ids are found by binary search', () => {
    const service = { name: 'weather', description: 'Forecasts and conditions', tags: ['outdoor'], url: 'https://gw/weather/mcp' };
    const docs = serviceDocuments(service, [
      { name: 'get_forecast', description: 'Will it rain? Daily forecasts', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'get_current_conditions', description: 'Temperature now', inputSchema: { type: 'object' } },
    ]);
    const entries = docs.map((doc, i) => indexEntry(doc, Float32Array.from({ length: 4 }, (_, d) => (d === i ? 1 : 0.1))));
    const compact = CompactIndex.decode(encodeIndex(entries, 4, 'gen-1'));
    assert.equal(compact.header.generation, 'gen-1');
    assert.equal(compact.count, 3);
    assert.deepEqual(compact.header.servers, ['weather']);
    assert.deepEqual(compact.header.serverTags, [['outdoor']]);
    const back = new Map(compact.entries().map((e) => [e.doc.id, e]));
    for (const e of entries) {
      const read = back.get(e.doc.id)!;
      assert.deepEqual(read.doc, e.doc);
      assert.deepEqual(read.vector, e.vector);
      for (const f of Object.keys(e.tokens) as (keyof typeof e.tokens)[]) assert.deepEqual([...read.tokens[f]].sort(), [...e.tokens[f]].sort(), f);
      assert.deepEqual(read.words, e.words);
    }
    const forecast = compact.find('weather/get_forecast');
    assert.equal(compact.record(forecast).tool, 'get_forecast');
    assert.equal(compact.kind[compact.find('weather')], 1);
    assert.equal(compact.find('weather/nothing'), -1);
    assert.ok(compact.fields.descriptionWords.termIndex(textTokens('forecasts')[0]!) >= 0);
    assert.ok(compact.vocabulary().includes('rain'));
  });

  it('opened from a file, the index leaves the records on disk and reads each one when asked', async () => {
    const service = { name: 'mail', description: 'Email', tags: [], url: 'https://gw/mail/mcp' };
    const docs = serviceDocuments(service, [{ name: 'send_email', description: 'Send an email', inputSchema: { type: 'object', required: ['to'] } }]);
    const dir = await mkdtemp(join(tmpdir(), 'mcpgw-compact-'));
    try {
      const file = join(dir, 'index.bin');
      await writeFile(file, encodeIndex(docs.map((d) => indexEntry(d)), 0, 'gen-2'));
      const compact = CompactIndex.open(file);
      assert.equal(compact.vectors, undefined);
      assert.deepEqual(compact.record(compact.find('mail/send_email')), docs[1]);
      assert.deepEqual(compact.entries().map((e) => e.doc).sort((a, b) => a.id.localeCompare(b.id)), docs);
      assert.deepEqual(compact.embeddingWords(compact.find('mail/send_email')), ['send', 'email']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('int8 quantisation keeps the direction of a vector', () => {
    const v = Float32Array.from([0.5, -0.25, 0.1, 0]);
    const q = quantize(v);
    assert.deepEqual([...q], [127, -63, 25, 0]);
  });
});
