// MCP 2026-07-28 through the real gateway: Caddy (rendered routes) → authd → a hand-written
// 2026-07-28 server (testkit/modern-mcp-server; the installed SDK does not speak this revision)
// and → the stdio host → an SDK stdio server. The client is plain HTTP, as a 2026-07-28 client is.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startModernServer, type RunningModernServer } from '../../../testkit/modern-mcp-server.js';
import { TSX } from '../../../testkit/cli.js';

const UNICODE_SERVER = join(import.meta.dirname, '..', '..', 'fixtures', 'stdio', 'unicode-tool-server.ts');
const V = '2026-07-28';
const META = { 'io.modelcontextprotocol/protocolVersion': V, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': { extensions: { 'io.modelcontextprotocol/tasks': {} } } };
const b64 = (s: string) => `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;

const SCOPES = `groups:
  developers: [everyday]
  eu-analysts: [eu]
  others: [elsewhere]
scopes:
  everyday:
    servers:
      modern: { tools: [echo, wetter-für-köln, confirm, slow] }
      modern-ho: { tools: [echo] }
      unicode: { tools: [wetter-für-köln] }
  eu:
    servers:
      modern: { tools: [query], params: { Region: ["eu-*"] } }
      unicode: { tools: [echo], params: { Region: ["eu-*"] } }
  elsewhere:
    servers:
      unicode: { tools: [] }
`;

interface RpcAnswer {
  status: number;
  headers: Headers;
  body: { id?: unknown; result?: Record<string, any>; error?: { code: number; message: string; data?: Record<string, any> } };
}

describe('MCP 2026-07-28 through the gateway (real Caddy, authd, stdio host)', () => {
  let gw: TestGateway;
  let server: RunningModernServer;
  let nextId = 1;

  before(async () => {
    server = await startModernServer({ ttlMs: 60_000, cacheScope: 'public' });
    gw = await startTestGateway({
      stdioHost: true,
      services: {
        modern: `transport: streamable-http\nupstream: ${server.url}\n`,
        'modern-ho': `transport: streamable-http\nupstream: ${server.url}\nchecks_mcp_headers: true\n`,
        unicode: `command:\n  run: [${JSON.stringify(process.execPath)}, --import, ${JSON.stringify(TSX)}, ${JSON.stringify(UNICODE_SERVER)}]\n`,
      },
      scopes: SCOPES,
      apiKeys: { alice: ['developers'], bob: ['developers'], eva: ['eu-analysts'], olga: ['others'] },
      apply: true,
    });
  });
  after(async () => {
    await gw?.close();
    await server?.close();
  });

  /** A 2026-07-28 POST with the request metadata headers a compliant client sends (override with `headers`). */
  async function call(service: string, key: string, method: string, params: Record<string, unknown> = {}, headers: Record<string, string | undefined> = {}): Promise<RpcAnswer> {
    const target = (params.name ?? params.uri) as string | undefined;
    const all: Record<string, string | undefined> = {
      authorization: `Bearer ${gw.keys[key]}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': V,
      'mcp-method': method,
      ...(target !== undefined ? { 'mcp-name': /^[\x21-\x7e]*$/.test(target) ? target : b64(target) } : {}),
      ...headers,
    };
    const res = await fetch(`${gw.url}/${service}/mcp`, {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>,
      body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: META } }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
  }

  test('a tool name in the =?base64?…?= Mcp-Name form passes authd and the stdio host alike; a lying one is refused by each', async () => {
    // Route with the body check: authd decodes the header and compares it with the body.
    const routed = await call('modern', 'alice', 'tools/call', { name: 'wetter-für-köln', arguments: {} });
    assert.equal(routed.status, 200, JSON.stringify(routed.body));
    assert.equal(routed.body.result?.content[0].text, 'sonnig');
    // stdio service (header-only route): authd decides from the decoded header, the host checks it against the body.
    const hosted = await call('unicode', 'alice', 'tools/call', { name: 'wetter-für-köln', arguments: {} });
    assert.equal(hosted.status, 200, JSON.stringify(hosted.body));
    assert.equal(hosted.body.result?.content[0].text, 'sonnig in Köln');
    // The same names in the header, another tool in the body: authd (route) and the host (stdio) say -32020.
    for (const service of ['modern', 'unicode']) {
      const lying = await call(service, 'alice', 'tools/call', { name: 'echo', arguments: {} }, { 'mcp-name': b64('wetter-für-köln') });
      assert.equal(lying.status, 400, service);
      assert.equal(lying.body.error?.code, -32020, service);
    }
    // Someone granted nothing on the tool is refused by authd from the decoded header.
    assert.equal((await call('unicode', 'olga', 'tools/call', { name: 'wetter-für-köln', arguments: {} })).status, 403);
  });

  test('header-only path: authd decides a 2026-07-28 request from its headers without a body copy; the upstream checks the body', async () => {
    const ok = await call('modern-ho', 'alice', 'tools/call', { name: 'echo', arguments: { message: 'hi' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.result?.content[0].text, 'echo: hi');
    assert.equal((await call('modern-ho', 'alice', 'tools/call', { name: 'confirm', arguments: {} })).status, 403, 'refused from Mcp-Name alone');
    // Headers naming a granted tool over a body naming another: authd, without the body, allows;
    // the upstream's own check refuses (its answer, not authd's: no data.code).
    const before = server.received.length;
    const lying = await call('modern-ho', 'alice', 'tools/call', { name: 'confirm', arguments: {} }, { 'mcp-name': 'echo' });
    assert.equal(lying.status, 400);
    assert.equal(lying.body.error?.code, -32020);
    assert.equal(lying.body.error?.data, undefined, 'the upstream answered, not authd');
    assert.equal(server.received.length, before, 'the upstream served nothing');
    // On the body-check route the same request stops at authd (data.code is authd's).
    const atAuthd = await call('modern', 'alice', 'tools/call', { name: 'confirm', arguments: {} }, { 'mcp-name': 'echo' });
    assert.equal(atAuthd.status, 400);
    assert.equal(atAuthd.body.error?.data?.code, 'ERR_HEADER_MISMATCH');
  });

  test('Mcp-Method is required for 2026-07-28 (400 HeaderMismatch -32020); an unknown version gets 400 -32022 with the supported ones', async () => {
    const before = server.received.length;
    const missing = await call('modern', 'alice', 'tools/call', { name: 'echo', arguments: {} }, { 'mcp-method': undefined });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error?.code, -32020);
    assert.match(missing.body.error!.message, /Mcp-Method header is missing/);
    assert.equal(typeof missing.body.id, 'number', 'the answer names the request');
    const noName = await call('modern', 'alice', 'tools/call', { name: 'echo', arguments: {} }, { 'mcp-name': undefined });
    assert.equal(noName.body.error?.code, -32020);
    const unknown = await call('modern', 'alice', 'tools/list', {}, { 'mcp-protocol-version': '2099-01-01' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error?.code, -32022);
    assert.equal(unknown.body.error?.data?.requested, '2099-01-01');
    assert.ok(unknown.body.error?.data?.supported.includes(V));
    assert.equal(server.received.length, before, 'none of them reached the upstream');
  });

  test('Mcp-Param-* headers are forwarded and decide a scope that names them', async () => {
    const eu = await call('modern', 'eva', 'tools/call', { name: 'query', arguments: { region: 'eu-west1', sql: 'select 1' } }, { 'mcp-param-region': 'eu-west1' });
    assert.equal(eu.status, 200, JSON.stringify(eu.body));
    assert.equal(server.received.at(-1)?.headers['mcp-param-region'], 'eu-west1', 'the upstream received the header');
    const us = await call('modern', 'eva', 'tools/call', { name: 'query', arguments: { region: 'us-west1' } }, { 'mcp-param-region': 'us-west1' });
    assert.equal(us.status, 403);
    assert.match(us.body.error!.data!.reason, /Mcp-Param-Region "us-west1"/);
    assert.equal((await call('modern', 'eva', 'tools/call', { name: 'query', arguments: {} })).status, 403, 'a constrained param must be sent');
    // An older version's headers are not checked by servers: not a basis for the decision.
    assert.equal((await call('modern', 'eva', 'tools/call', { name: 'query', arguments: { region: 'eu-west1' } }, { 'mcp-protocol-version': '2025-11-25', 'mcp-param-region': 'eu-west1' })).status, 403);
    // A header that lies about the body passes authd's param check and is refused by the server (spec: servers validate).
    const lying = await call('modern', 'eva', 'tools/call', { name: 'query', arguments: { region: 'us-west1' } }, { 'mcp-param-region': 'eu-west1' });
    assert.equal(lying.status, 400);
    assert.equal(lying.body.error?.code, -32020);
    // The stdio host does not check Mcp-Param-* against the body: a params: grant there allows nothing.
    assert.equal((await call('unicode', 'eva', 'tools/call', { name: 'echo', arguments: { region: 'eu-west1' } }, { 'mcp-param-region': 'eu-west1' })).status, 403);
  });

  test('server/discover goes through under policy', async () => {
    const discovered = await call('modern', 'alice', 'server/discover');
    assert.equal(discovered.status, 200);
    assert.deepEqual(discovered.body.result?.supportedVersions, [V]);
    assert.ok(discovered.body.result?.capabilities.extensions['io.modelcontextprotocol/tasks']);
    assert.equal((await call('modern', 'olga', 'server/discover')).status, 403, 'no grant on the server: refused');
  });

  test('subscriptions/listen streams notifications through Caddy, with X-Accel-Buffering: no', async () => {
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/modern/mcp`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${gw.keys.alice}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': V, 'mcp-method': 'subscriptions/listen' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'listen-1', method: 'subscriptions/listen', params: { _meta: META, notifications: { toolsListChanged: true } } }),
    });
    try {
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      assert.equal(res.headers.get('x-accel-buffering'), 'no');
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const until = async (pattern: RegExp) => {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
          text += decoder.decode(value);
        }
      };
      await until(/notifications\/subscriptions\/acknowledged/);
      server.toolsChanged();
      await until(/notifications\/tools\/list_changed/);
      assert.match(text, /"io.modelcontextprotocol\/subscriptionId":"listen-1"/);
    } finally {
      controller.abort();
    }
  });

  test('MRTR: an InputRequiredResult goes back to the client and the retry with inputResponses completes', async () => {
    const first = await call('modern', 'alice', 'tools/call', { name: 'confirm', arguments: {} });
    assert.equal(first.status, 200);
    assert.equal(first.body.result?.resultType, 'input_required');
    assert.equal(first.body.result?.inputRequests.confirm.method, 'elicitation/create');
    const retry = await call('modern', 'alice', 'tools/call', { name: 'confirm', arguments: {}, inputResponses: { confirm: { action: 'accept', content: { ok: true } } }, requestState: first.body.result!.requestState });
    assert.equal(retry.status, 200);
    assert.equal(retry.body.result?.content[0].text, 'confirmed: true');
  });

  test('tasks: tasks/get, tasks/update and tasks/cancel reach the upstream that created the task, for its creator only', async () => {
    const created = await call('modern', 'alice', 'tools/call', { name: 'slow', arguments: {} });
    assert.equal(created.body.result?.resultType, 'task');
    const taskId = created.body.result!.task.taskId as string;
    const polled = await call('modern', 'alice', 'tasks/get', { taskId });
    assert.equal(polled.status, 200);
    assert.equal(polled.body.result?.status, 'input_required');
    // Bob holds the same grants, and still may not read, answer or cancel Alice's task.
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const foreign = await call('modern', 'bob', method, { taskId, inputResponses: {} });
      assert.equal(foreign.status, 403, method);
      assert.equal(foreign.body.error?.data?.code, 'ERR_TASK_OWNER', method);
    }
    assert.equal((await call('modern', 'alice', 'tasks/update', { taskId, inputResponses: { go: { action: 'accept', content: {} } } })).status, 200);
    const done = await call('modern', 'alice', 'tasks/get', { taskId });
    assert.equal(done.body.result?.status, 'completed');
    assert.equal((await call('modern', 'alice', 'tasks/cancel', { taskId })).body.result?.status, 'cancelled');
  });
});
