import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statelessRequestProblem } from '../../../src/core/wire/stateless-request.js';
import { everythingYaml, startHostFor } from './stdio-checkout.js';

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };

function post(url: string, body: unknown, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) });
}

test('a 2026-07-28 request without a session is served, with Mcp-Method and Mcp-Name headers checked against the body', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const url = `${host.url}/everything/mcp`;
  const headers = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' };
  const call = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { message: 'stateless' }, _meta: META } };
  const ok = await post(url, call, headers);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('mcp-session-id'), null, 'no session is minted');
  const answer = (await ok.json()) as { id: number; result: { content: { text: string }[] } };
  assert.equal(answer.id, 7);
  assert.match(answer.result.content[0]!.text, /stateless/);

  const mismatch = await post(url, call, { ...headers, 'mcp-name': 'get-sum' });
  assert.equal(mismatch.status, 400);
  assert.equal(((await mismatch.json()) as { error: { code: number } }).error.code, -32020);

  const discover = await post(url, { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: META } }, { ...headers, 'mcp-method': 'server/discover' });
  const discovered = (await discover.json()) as { result: { supportedVersions: string[]; serverInfo: { name: string }; ttlMs: number; cacheScope: string } };
  assert.ok(discovered.result.supportedVersions.includes('2026-07-28'));
  assert.equal(discovered.result.serverInfo.name, 'mcp-servers/everything');
  assert.deepEqual([discovered.result.ttlMs, discovered.result.cacheScope], [0, 'private'], 'the host cannot know: not reusable');

  const unknown = await post(url, { jsonrpc: '2.0', id: 2, method: 'no/such', params: { _meta: META } }, { ...headers, 'mcp-method': 'no/such' });
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: { code: number } }).error.code, -32601);

  const noSessionGet = await fetch(url, { headers: { accept: 'text/event-stream' } });
  assert.equal(noSessionGet.status, 405);
});

test('2026-07-28 results from an older stdio server carry what that revision requires of servers: resultType, serverInfo in _meta, and caching hints on lists (not reusable, as the host cannot know); an older session-less request gets the child\'s result as it is', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const url = `${host.url}/everything/mcp`;
  const modern = (method: string) => ({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': method });
  type Result = { resultType?: string; ttlMs?: number; cacheScope?: string; _meta?: Record<string, { name: string }>; tools?: unknown[]; resources?: unknown[]; content?: unknown[] };
  const answer = async (method: string, params: Record<string, unknown>, headers: Record<string, string>) => {
    const response = await post(url, { jsonrpc: '2.0', id: 3, method, params }, headers);
    assert.equal(response.status, 200, method);
    return ((await response.json()) as { result: Result }).result;
  };
  for (const method of ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list']) {
    const result = await answer(method, { _meta: META }, modern(method));
    assert.equal(result.resultType, 'complete', method);
    assert.deepEqual([result.ttlMs, result.cacheScope], [0, 'private'], method);
    assert.equal(result._meta?.['io.modelcontextprotocol/serverInfo']?.name, 'mcp-servers/everything', method);
  }
  const call = await answer('tools/call', { name: 'echo', arguments: { message: 'hi' }, _meta: META }, { ...modern('tools/call'), 'mcp-name': 'echo' });
  assert.equal(call.resultType, 'complete');
  assert.equal(call.ttlMs, undefined, 'a tool call is not cacheable: no hints');
  assert.equal(call._meta?.['io.modelcontextprotocol/serverInfo']?.name, 'mcp-servers/everything');

  const older = await answer('tools/list', {}, { 'mcp-protocol-version': '2025-06-18' });
  assert.ok(older.tools?.length);
  assert.deepEqual([older.resultType, older.ttlMs, older.cacheScope], [undefined, undefined, undefined], 'an older request: as the child said it');
});

/** The JSON-RPC messages of an SSE response body. */
function sseMessages(text: string): { id?: number; result?: Record<string, unknown> }[] {
  return text.split('\n').filter((l) => l.startsWith('data: ') && l.length > 6).map((l) => JSON.parse(l.slice(6)));
}

test('a 2025-03-26 client gets that version back, a session, and is served without a protocol version header', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const url = `${host.url}/everything/mcp`;
  const init = await post(url, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'old', version: '1' } } }, {});
  assert.equal(init.status, 200);
  const session = init.headers.get('mcp-session-id');
  assert.ok(session, 'a session id is issued');
  assert.equal(sseMessages(await init.text())[0]?.result?.protocolVersion, '2025-03-26');
  assert.equal((await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': session })).status, 202);
  const list = await post(url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-session-id': session });
  // Notifications the server sent while no GET stream was open may come first on this stream.
  const tools = (sseMessages(await list.text()).find((m) => m.id === 1)?.result?.tools ?? []) as { name: string }[];
  assert.ok(tools.some((tool) => tool.name === 'echo'));
  const ended = await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': session } });
  assert.equal(ended.status, 200);
  assert.equal((await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': session })).status, 404);
});

const modernRequestProblem = (headers: Record<string, string>, body: unknown) => statelessRequestProblem({ headers }, body);

test('request header checks (the one classifier, core/wire/mcp-request): unsupported version, missing or mismatched headers, Base64 names', () => {
  const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'wetter-München' } };
  const base = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' };
  const encoded = `=?base64?${Buffer.from('wetter-München').toString('base64')}?=`;
  assert.equal(modernRequestProblem({ ...base, 'mcp-name': encoded }, body), undefined);
  assert.equal(modernRequestProblem({}, body), undefined, 'no version header: an older client, served as before');
  assert.equal(modernRequestProblem({ 'mcp-protocol-version': '2025-06-18' }, body), undefined);
  const unsupported = modernRequestProblem({ 'mcp-protocol-version': '1900-01-01' }, body);
  assert.equal(unsupported?.status, 400);
  assert.deepEqual((unsupported?.body as { error: { code: number; data: { requested: string } } }).error.code, -32022);
  assert.match(JSON.stringify(modernRequestProblem(base, body)), /Mcp-Name header is missing/);
  assert.match(JSON.stringify(modernRequestProblem({ ...base, 'mcp-method': 'tools/list', 'mcp-name': encoded }, body)), /-32020/);
  assert.match(JSON.stringify(modernRequestProblem({ ...base, 'mcp-name': encoded }, [body])), /one JSON-RPC request/);
});
