// Registry rights through the registry server: a non-admin cannot register or disable; an admin
// can, the registry.d file changes like the CLI's, and the live gateway route follows at once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RegistryService } from '../../../src/control/registry/registry-service.js';
import { connectWithToken, eventually, startRegistryGateway, textOf, type RegistryGateway } from './registry-gateway.js';

function post(url: string, token: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
  });
}

async function sentAgainIfReset<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!/fetch failed|ECONNRESET|socket hang up/.test(String((err as Error).message))) throw err;
    return call();
  }
}

describe('registry changes through the registry server', () => {
  let gw: RegistryGateway;
  before(async () => {
    gw = await startRegistryGateway();
  });
  after(async () => {
    await gw?.stop();
  });

  test('a caller without registry rights is offered no change tools and cannot register or disable', async () => {
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, gw.alice);
    const before = await readFile(join(gw.dir, 'registry.d', 'everything.yaml'), 'utf8');
    try {
      const names = (await registry.listTools()).tools.map((t) => t.name);
      for (const tool of ['register_service', 'enable_service', 'disable_service', 'refresh_service']) assert.ok(!names.includes(tool), `${tool} is not listed`);
      const disable = await registry.callTool({ name: 'disable_service', arguments: { name: 'everything' } });
      assert.equal(disable.isError, true);
      const register = await registry.callTool({ name: 'register_service', arguments: { name: 'sneaky', upstream: gw.everything.url } });
      assert.equal(register.isError, true);
    } finally {
      await registry.close();
    }
    assert.equal(await readFile(join(gw.dir, 'registry.d', 'everything.yaml'), 'utf8'), before, 'everything.yaml is unchanged');
    assert.deepEqual((await readdir(join(gw.dir, 'registry.d'))).sort(), ['everything.yaml']);
    assert.equal((await post(`${gw.url}/everything/mcp`, gw.alice)).status, 200, 'the route still serves');
  });

  test('the right is checked on every change, not only when tools are listed; refreshing needs `register`', async () => {
    const registry = await RegistryService.open(gw.dir, { follow: false });
    const alice = { kind: 'agent' as const, subject: 'alice', groups: ['developers'] };
    await assert.rejects(registry.setEnabled(alice, ['everything'], false), { code: 'ERR_RIGHT_MISSING', right: 'disable' });
    await assert.rejects(registry.register(alice, [{ fields: { name: 'sneaky', upstream: gw.everything.url } }]), { code: 'ERR_RIGHT_MISSING', right: 'register' });
    assert.equal(registry.maySee(alice, 'everything'), true, 'alice sees the service she may use…');
    await assert.rejects(registry.refresh(alice, 'everything'), { code: 'ERR_RIGHT_MISSING', right: 'register' }, '…but seeing it is not the right to probe it');
  });

  test('an admin registers a service and disables it, and the gateway route changes live', async () => {
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, gw.root);
    try {
      const registered = await registry.callTool({
        name: 'register_service',
        arguments: { name: 'everything-two', upstream: gw.everything.url, description: 'A second route to the test server', tags: ['test'] },
      });
      assert.ok(!registered.isError, textOf(registered));
      // Applied right after the answer (the answer itself passes the Caddy being reconfigured).
      assert.equal((registered.structuredContent as { gateway: { applied: unknown } }).gateway.applied, 'after-answer');
      const file = await readFile(join(gw.dir, 'registry.d', 'everything-two.yaml'), 'utf8');
      assert.match(file, /name: everything-two/);
      // Caddy gets the route and authd reads registry.d a moment after the answer.
      await eventually(async () => assert.equal((await post(`${gw.url}/everything-two/mcp`, gw.root)).status, 200));

      // Caddy 2.6 closes idle keep-alive connections when a route change reloads it; a client's
      // pooled connection can fail once right after (README: Gateway). The registry is stateless,
      // so the call is simply sent again.
      const disabled = await sentAgainIfReset(() => registry.callTool({ name: 'disable_service', arguments: { name: 'everything-two' } }));
      assert.ok(!disabled.isError, textOf(disabled));
      assert.match(await readFile(join(gw.dir, 'registry.d', 'everything-two.yaml'), 'utf8'), /enabled: false/);
      const body = await eventually(async () => {
        const res = await post(`${gw.url}/everything-two/mcp`, gw.root);
        assert.equal(res.status, 503);
        return (await res.json()) as { error: string };
      });
      assert.equal(body.error, 'service_disabled');

      const enabled = await registry.callTool({ name: 'enable_service', arguments: { name: 'everything-two' } });
      assert.ok(!enabled.isError, textOf(enabled));
      await eventually(async () => assert.equal((await post(`${gw.url}/everything-two/mcp`, gw.root)).status, 200));
    } finally {
      await registry.close();
    }
  });

  test('an admin refreshes a service: it is probed now and its tools recorded', async () => {
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, gw.root);
    try {
      const refreshed = await registry.callTool({ name: 'refresh_service', arguments: { name: 'everything' } });
      assert.ok(!refreshed.isError, textOf(refreshed));
      const result = refreshed.structuredContent as { health: { status: string }; tools: string[] };
      assert.equal(result.health.status, 'healthy');
      assert.ok(result.tools.includes('echo'));
    } finally {
      await registry.close();
    }
  });

  test('an inline secret in a registration is refused with the validation message, and nothing is written', async () => {
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, gw.root);
    try {
      const result = await registry.callTool({
        name: 'register_service',
        arguments: { name: 'leaky', upstream: gw.everything.url, headers: { Authorization: 'Bearer sk-live-0123456789abcdefghijklmnop' } },
      });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /ERR_CONFIG_INVALID: .*headers\.Authorization/);
    } finally {
      await registry.close();
    }
    assert.ok(!(await readdir(join(gw.dir, 'registry.d'))).includes('leaky.yaml'));
  });
});
