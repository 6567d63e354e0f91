// The registry MCP server speaks MCP 2026-07-28 (session-less requests, Mcp-Method/Mcp-Name
// rules, caching hints) next to the initialize-based versions, through real Caddy and authd with
// real tokens, and at its own listener (the HTTP listener of `mcpgw serve --http`, on a private
// port) for the rules it applies itself. The 2026-07-28 client is plain HTTP: the installed SDK
// (1.32) does not speak that revision.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeIdentityHeader } from '../../../src/core/identity/identity-header.js';
import { connectWithToken, startRegistryGateway, textOf, type RegistryGateway } from './registry-gateway.js';

const V = '2026-07-28';
const META = { 'io.modelcontextprotocol/protocolVersion': V, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };

interface RpcAnswer {
  status: number;
  body: { id?: unknown; result?: Record<string, any>; error?: { code: number; message: string; data?: Record<string, any> } };
}

let nextId = 1;

/** One 2026-07-28 POST: Mcp-Method (and Mcp-Name for a tools/call or resources/read) from the body unless `headers` say otherwise. */
async function modern(url: string, method: string, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<RpcAnswer> {
  const name = typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': V, 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}), ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: META } }),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: (await res.json()) as RpcAnswer['body'] };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the registry MCP server and MCP 2026-07-28', () => {
  let gw: RegistryGateway;
  let mcp: string;
  before(async () => {
    gw = await startRegistryGateway();
    mcp = `${gw.url}/mcpgw/mcp`;
  });
  after(async () => {
    await gw?.stop();
  });

  test('server/discover is answered without initialize: every version, the registry\'s capabilities and identity, public hints', async () => {
    const { status, body } = await modern(mcp, 'server/discover', {}, bearer(gw.alice));
    assert.equal(status, 200, JSON.stringify(body));
    const result = body.result!;
    assert.equal(result.resultType, 'complete');
    assert.ok(result.supportedVersions.includes(V) && result.supportedVersions.includes('2025-11-25'), JSON.stringify(result.supportedVersions));
    assert.deepEqual(result.capabilities, { tools: { listChanged: false }, resources: { listChanged: false } }, 'as initialize says: no list_changed is ever sent');
    assert.equal(result._meta['io.modelcontextprotocol/serverInfo'].name, 'mcpgw-registry');
    assert.match(result.instructions, /find_tools/);
    assert.deepEqual([result.ttlMs, result.cacheScope], [3_600_000, 'public']);
  });

  test('tools/list is private to the caller: admins see the change tools, developers do not, both with the same hints', async () => {
    const names = async (token: string) => {
      const { status, body } = await modern(mcp, 'tools/list', {}, bearer(token));
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual([body.result!.resultType, body.result!.ttlMs, body.result!.cacheScope], ['complete', 60_000, 'private']);
      return (body.result!.tools as { name: string }[]).map((t) => t.name).sort();
    };
    const alice = await names(gw.alice);
    const root = await names(gw.root);
    assert.deepEqual(alice, ['call_tool', 'find_tools', 'get_service', 'health', 'list_services']);
    assert.ok(root.includes('register_service') && root.includes('disable_service'), root.join(', '));
  });

  test('resources carry private hints, the template public ones; there are no prompts (404)', async () => {
    const list = await modern(mcp, 'resources/list', {}, bearer(gw.alice));
    assert.deepEqual([list.body.result?.ttlMs, list.body.result?.cacheScope], [0, 'private']);
    assert.ok((list.body.result!.resources as { uri: string }[]).some((r) => r.uri === 'mcpgw://services/everything'));
    const read = await modern(mcp, 'resources/read', { uri: 'mcpgw://services/everything' }, bearer(gw.alice));
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.deepEqual([read.body.result?.ttlMs, read.body.result?.cacheScope], [0, 'private']);
    const templates = await modern(mcp, 'resources/templates/list', {}, bearer(gw.alice));
    assert.deepEqual([templates.body.result?.ttlMs, templates.body.result?.cacheScope], [3_600_000, 'public']);
    const prompts = await modern(mcp, 'prompts/list', {}, bearer(gw.alice));
    assert.equal(prompts.status, 404);
    assert.equal(prompts.body.error?.code, -32601);
  });

  test('tools/call runs as the caller: call_tool reaches echo with alice\'s rights and is refused for a caller without them', async () => {
    const call = { name: 'call_tool', arguments: { server: 'everything', tool: 'echo', arguments: { message: 'hello 2026' } } };
    const { status, body } = await modern(mcp, 'tools/call', call, bearer(gw.alice));
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.result!.resultType, 'complete');
    assert.ok(!body.result!.isError, textOf(body.result));
    assert.match(textOf(body.result), /hello 2026/);
    assert.equal(body.result!.ttlMs, undefined, 'a tool result is not cacheable');
    const outsider = await modern(mcp, 'tools/call', call, bearer(gw.outsider));
    assert.equal(outsider.status, 200, JSON.stringify(outsider.body));
    assert.equal(outsider.body.result!.isError, true);
    assert.match(textOf(outsider.body.result), /403/);
  });

  test('at its own listener it refuses what disagrees with the body (-32020) and unknown versions (-32022), and callers authd did not send', async () => {
    const url = `${gw.registryUrl}/mcp`;
    const identity = { 'x-mcpgw-identity': encodeIdentityHeader({ subject: 'alice', kind: 'oidc', groups: ['developers'], scopes: [] }) };
    const ok = await modern(url, 'tools/call', { name: 'health', arguments: {} }, identity);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));

    const wrongName = await modern(url, 'tools/call', { name: 'health', arguments: {} }, { ...identity, 'mcp-name': 'list_services' });
    assert.equal(wrongName.status, 400);
    assert.equal(wrongName.body.error?.code, -32020);
    assert.match(wrongName.body.error!.message, /Mcp-Name header value 'list_services' does not match body value 'health'/);
    assert.equal(wrongName.body.id, nextId - 1, 'the answer names the refused request');

    const wrongMethod = await modern(url, 'tools/list', {}, { ...identity, 'mcp-method': 'resources/list' });
    assert.equal(wrongMethod.status, 400);
    assert.equal(wrongMethod.body.error?.code, -32020);

    const noName = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'mcp-protocol-version': V, 'mcp-method': 'tools/call', ...identity },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'n', method: 'tools/call', params: { name: 'health', arguments: {}, _meta: META } }),
    });
    assert.equal(noName.status, 400);
    assert.match(JSON.stringify(await noName.json()), /-32020.*Mcp-Name header is missing/);

    const unknown = await modern(url, 'tools/list', {}, { ...identity, 'mcp-protocol-version': '2099-01-01' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error?.code, -32022);
    assert.ok(unknown.body.error!.data!.supported.includes(V), JSON.stringify(unknown.body.error));
    assert.equal(unknown.body.error!.data!.requested, '2099-01-01');

    const anonymous = await modern(url, 'tools/list', {});
    assert.equal(anonymous.body.error?.data?.code ?? anonymous.body.error?.message, 'ERR_NO_IDENTITY', JSON.stringify(anonymous.body));
  });

  test('through the gateway a 2026-07-28 request takes the header-only route (authd decides from Mcp-Method/Mcp-Name, no body copy), and a body that disagrees is refused by the registry server itself (400 -32020), so a header naming an allowed tool cannot carry an admin call', async () => {
    const config = (await (await fetch(`http://${gw.caddyAdmin}/config/`)).json()) as { apps: { http: { servers: Record<string, { routes: { '@id'?: string; handle: unknown[] }[] }> } } };
    const routes = Object.values(config.apps.http.servers).flatMap((srv) => srv.routes);
    const headerOnly = routes.find((r) => r['@id'] === 'mcpgw-registry-header-only');
    assert.ok(headerOnly, 'the registry has a header-only route');
    assert.ok(routes.indexOf(headerOnly) < routes.findIndex((r) => r['@id'] === 'mcpgw-registry'), 'before the registry route');
    assert.doesNotMatch(JSON.stringify(headerOnly.handle), /X-Mcpgw-Body/, 'no body copy to authd');
    const disguised = await modern(mcp, 'tools/call', { name: 'register_service', arguments: { name: 'evil', upstream: 'http://127.0.0.1:1/mcp' } }, { ...bearer(gw.alice), 'mcp-name': 'find_tools' });
    assert.equal(disguised.status, 400);
    assert.equal(disguised.body.error?.code, -32020);
    const { status, body } = await modern(mcp, 'tools/call', { name: 'health', arguments: {} }, { ...bearer(gw.alice), 'mcp-name': 'find_tools' });
    assert.equal(status, 400);
    assert.equal(body.error?.code, -32020);
  });

  test('an SDK client of an initialize-based version still lists and calls as before, without 2026-07-28 fields', async () => {
    const client = await connectWithToken(mcp, gw.alice);
    try {
      const listed = (await client.listTools()) as Record<string, unknown>;
      assert.ok((listed.tools as { name: string }[]).some((t) => t.name === 'find_tools'));
      assert.equal(listed.ttlMs, undefined);
      assert.equal(listed.resultType, undefined);
      const health = await client.callTool({ name: 'health', arguments: {} });
      assert.ok(!health.isError, textOf(health));
    } finally {
      await client.close();
    }
  });
});
