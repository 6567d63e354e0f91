// One identity encoding behind Caddy (issue 12, item 1), through real Caddy, authd and the
// registry MCP server: group names with commas cannot smuggle in other groups, and group
// names like `__proto__` are ordinary names with ordinary decisions and audit lines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SCOPES_YML } from '../../../testkit/gateway-project.js';
import { connectWithToken, eventually, startRegistryGateway, type RegistryGateway } from '../../discovery/registry-server/registry-gateway.js';

const echoCall = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } });
const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });

describe('identity behind Caddy', () => {
  let gw: RegistryGateway;
  before(async () => {
    gw = await startRegistryGateway();
  });
  after(async () => {
    await gw?.stop();
  });

  const post = (path: string, token: string, body = echoCall) =>
    fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body });

  test('a group name with a comma ("x,admins") gives no admin rights at the registry server', async () => {
    // outsiders (registry list) get into /mcpgw; "x,admins" must stay one group that maps to nothing.
    const token = await gw.token('mallory', ['outsiders', 'x,admins']);
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, token);
    try {
      const names = (await registry.listTools()).tools.map((t) => t.name);
      assert.ok(!names.includes('register_service'), `no admin tools: ${names.join(', ')}`);
      const disable = await registry.callTool({ name: 'disable_service', arguments: { name: 'everything' } });
      assert.equal(disable.isError, true);
    } finally {
      await registry.close();
    }
    assert.doesNotMatch(await readFile(join(gw.dir, 'registry.d', 'everything.yaml'), 'utf8'), /enabled: false/);
    assert.equal((await post('/everything/mcp', token)).status, 403, 'nor any admin grant on a service');
  });

  test('__proto__, constructor and toString are ordinary group names: decided by scopes.yml and audited', async () => {
    const scopes = SCOPES_YML.replace('groups:\n', 'groups:\n  "__proto__": [everyday]\n  constructor: [everyday]\n');
    await writeFile(join(gw.dir, 'scopes.yml'), scopes);
    const proto = await gw.token('proto-user', ['__proto__']);
    const ctor = await gw.token('ctor-user', ['constructor']);
    const tostring = await gw.token('tostring-user', ['toString']);
    await eventually(async () => assert.equal((await post('/everything/mcp', proto, initialize)).status, 200));
    assert.equal((await post('/everything/mcp', ctor, initialize)).status, 200);
    const denied = await post('/everything/mcp', tostring, initialize);
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as { error: { data: { code: string } } }).error.data.code, 'ERR_FORBIDDEN');
    const audit = (await readFile(join(gw.dir, '.mcpgw', 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    for (const [subject, decision] of [['proto-user', 'allow'], ['ctor-user', 'allow'], ['tostring-user', 'deny']]) {
      assert.ok(audit.some((e) => e.identity?.subject === subject && e.decision === decision && e.method === 'initialize'), `an audit line for ${subject}`);
    }
  });
});
