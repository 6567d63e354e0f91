// "Find for a caller", the one path of `mcpgw find`, find_tools and the web UI's search: the
// registry service decides what a caller may be shown (enabled, visible, callable per scopes.yml).
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempProject } from '../../../testkit/cli.js';
import { RegistryService } from '../../../src/control/registry/registry-service.js';
import { findToolsAsOperator, findToolsFor } from '../../../src/discovery/search/find-for-caller.js';
import { LOCAL_OPERATOR, type Actor } from '../../../src/core/policy/registry-access.js';

const analyst: Actor = { kind: 'agent', subject: 'ann', groups: ['analysts'] };
const stranger: Actor = { kind: 'person', subject: 'sam', groups: ['nobody'] };
const ids = (results: { server: string; tool: string }[]) => results.map((r) => `${r.server}/${r.tool}`);

describe('findToolsFor', () => {
  let project: { dir: string; cleanup(): Promise<void> };
  let registry: RegistryService;
  before(async () => {
    project = await tempProject('search');
    registry = await RegistryService.open(project.dir, { follow: false });
  });
  after(async () => {
    await registry.close();
    await project.cleanup();
  });

  it('the local operator finds every enabled service\'s tools', async () => {
    const found = await findToolsFor(registry, LOCAL_OPERATOR, { query: 'weather in Paris', topK: 10 });
    assert.ok(ids(found.results).includes('weather/get_current_conditions'), ids(found.results).join(' '));
    assert.deepEqual(found.warnings, []);
  });

  it('the operator\'s search without loading registry.d (mcpgw find, no token) finds the same as through the registry service', async () => {
    for (const query of ['weather in Paris', 'price of a share', 'send an email']) {
      const viaRegistry = await findToolsFor(registry, LOCAL_OPERATOR, { query, topK: 10 });
      const direct = await findToolsAsOperator(project.dir, { query, topK: 10 });
      assert.deepEqual(direct.results, viaRegistry.results, query);
    }
  });

  it('an identity finds only the tools scopes.yml lets it call', async () => {
    const found = await findToolsFor(registry, analyst, { query: 'weather in Paris', topK: 10 });
    assert.deepEqual(ids(found.results).filter((id) => id.startsWith('weather/')), ['weather/get_forecast']);
    assert.ok(found.results.every((r) => r.server === 'stocks' || r.server === 'weather'), ids(found.results).join(' '));
    assert.ok(found.results.every((r) => registry.mayCallTool(analyst, r.server, r.tool)));
  });

  it('a caller granted nothing finds nothing, and --server narrows to one service', async () => {
    assert.deepEqual((await findToolsFor(registry, stranger, { query: 'weather in Paris' })).results, []);
    const stocks = await findToolsFor(registry, analyst, { query: 'price', servers: ['stocks'], topK: 10 });
    assert.ok(stocks.results.length > 0 && stocks.results.every((r) => r.server === 'stocks'));
  });

  it('a disabled service\'s tools are found by nobody, the operator included', async () => {
    const file = join(project.dir, 'registry.d', 'weather.yaml');
    await writeFile(file, `${await readFile(file, 'utf8')}\nenabled: false\n`);
    await registry.current.reload();
    const found = await findToolsFor(registry, LOCAL_OPERATOR, { query: 'weather forecast', topK: 20 });
    assert.ok(!found.results.some((r) => r.server === 'weather'), ids(found.results).join(' '));
    assert.equal(registry.findableTools(LOCAL_OPERATOR)('weather', 'get_forecast'), false);
  });
});
