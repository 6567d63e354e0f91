// Through real Caddy to real server-everything (Streamable HTTP and SSE): what agents rely on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startEverything, type RunningServer } from '../../../testkit/mcp-servers.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startHeaderEcho } from '../../../testkit/header-echo.js';
import { eventually } from '../../helpers/eventually.js';

type Kind = 'stream' | 'legacy';

async function connect(gw: TestGateway, kind: Kind): Promise<Client> {
  const client = new Client({ name: 'gateway-test', version: '1.0.0' });
  const url = new URL(kind === 'stream' ? `${gw.url}/stream/mcp` : `${gw.url}/legacy/sse`);
  await client.connect(kind === 'stream' ? new StreamableHTTPClientTransport(url) : new SSEClientTransport(url));
  return client;
}

/** Progress must reach the client while the tool still runs: the first arrives before the result. */
async function longRunning(client: Client): Promise<{ progress: number[]; firstBeforeResult: boolean }> {
  const progress: number[] = [];
  let resolved = false;
  let firstBeforeResult = false;
  const call = client
    .callTool({ name: 'trigger-long-running-operation', arguments: { duration: 2, steps: 4 } }, CallToolResultSchema, {
      onprogress: (p) => {
        if (progress.length === 0) firstBeforeResult = !resolved;
        progress.push(p.progress);
      },
      timeout: 60_000,
    })
    .then((r) => ((resolved = true), r));
  const result = await call;
  assert.match(JSON.stringify(result.content), /Long running operation completed/);
  // server-everything's SSE mode sends the last progress after its result even when connected
  // directly (no gateway), so the SDK drops it: require the first three, in order.
  assert.deepEqual(progress.slice(0, 3), [1, 2, 3]);
  assert.ok(progress.every((p, i) => p === i + 1));
  return { progress, firstBeforeResult };
}

/**
 * A long tools/call (20 s, one progress a second) left running: the caller checks progress
 * while it streams, so the stream is provably open across whatever happens meanwhile.
 */
function openLongStream(client: Client) {
  const progress: number[] = [];
  const waiters: (() => void)[] = [];
  const done = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 20, steps: 20 } }, CallToolResultSchema, {
    onprogress: (p) => {
      progress.push(p.progress);
      waiters.splice(0).forEach((w) => w());
    },
    timeout: 60_000,
  });
  const progressed = async (count: number) => {
    const deadline = Date.now() + 15_000;
    while (progress.length < count) {
      assert.ok(Date.now() < deadline, `progress stopped at ${progress.length}, expected ${count}`);
      await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 500)), done]);
    }
  };
  return { progress, progressed, done };
}


describe('gateway through real Caddy', { timeout: 240_000 }, () => {
  let gw: TestGateway;
  let stream: RunningServer;
  let legacy: RunningServer;
  let echo: Awaited<ReturnType<typeof startHeaderEcho>>;

  before(async () => {
    [stream, legacy, echo] = await Promise.all([startEverything('streamableHttp'), startEverything('sse'), startHeaderEcho()]);
    gw = await startTestGateway({ caddyEnv: { ECHO_TOKEN: 's3cret-from-caddy-env' }, allowedOrigins: ['https://app.example.com'] });
    await gw.writeService('stream', `transport: streamable-http\nupstream: ${stream.url}\nauth: none\n`);
    await gw.writeService('legacy', `transport: sse\nupstream: ${legacy.url}\nauth: none\n`);
    await gw.writeService('echo', `upstream: ${echo.url}\nauth: none\nheaders:\n  Authorization: "Bearer \${env:ECHO_TOKEN}"\n  X-Team: gateway-tests\n`);
    const applied = await gw.cli('apply');
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(async () => {
    await Promise.allSettled([gw?.close(), stream?.stop(), legacy?.stop(), echo?.close()]);
  });

  for (const kind of ['stream', 'legacy'] as const) {
    test(`${kind === 'stream' ? 'Streamable HTTP' : 'legacy SSE'}: the SDK client lists tools, calls echo and receives progress while the tool runs`, async () => {
      const client = await connect(gw, kind);
      try {
        const tools = await client.listTools();
        assert.ok(tools.tools.some((t) => t.name === 'echo'));
        const echoed = await client.callTool({ name: 'echo', arguments: { message: 'through the gateway' } });
        assert.match(JSON.stringify(echoed.content), /through the gateway/);
        const { firstBeforeResult } = await longRunning(client);
        assert.ok(firstBeforeResult, 'the first progress notification arrived before the result (streamed, not buffered)');
      } finally {
        await client.close();
      }
    });
  }

  test('apply warns about auth: none on every run', async () => {
    const again = await gw.cli('apply');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /stream: auth: none/);
    assert.match(again.stdout, /in sync/);
  });

  test('a 2026-07-28-style request keeps its Mcp-* headers; client tokens and forged identity never reach the upstream', async () => {
    const res = await fetch(`${gw.url}/echo/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'get_forecast',
        authorization: 'Bearer client-token',
        'x-user': 'forged-admin',
        'x-mcpgw-identity': 'forged',
        'x-mcpgw-service': 'forged',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_forecast', arguments: {} } }),
    });
    assert.equal(res.status, 200);
    const seen = echo.last()!;
    assert.equal(seen.url, '/mcp', 'the service prefix is stripped');
    assert.equal(seen.headers['mcp-method'], 'tools/call');
    assert.equal(seen.headers['mcp-name'], 'get_forecast');
    assert.equal(seen.headers['mcp-protocol-version'], '2026-07-28');
    assert.equal(seen.headers.authorization, 'Bearer s3cret-from-caddy-env', "the definition's credential, not the client's");
    assert.equal(seen.headers['x-team'], 'gateway-tests');
    assert.equal(seen.headers['x-user'], undefined);
    assert.equal(seen.headers['x-mcpgw-identity'], undefined, 'auth: none: no identity, and not the forged one');
    assert.equal(seen.headers['x-mcpgw-service'], undefined);
    const body = (await res.json()) as { result: { body: string } };
    assert.match(body.result.body, /get_forecast/, 'the JSON-RPC body reaches the upstream');
  });

  test('a disallowed Origin gets 403 JSON; an allowed one passes', async () => {
    const denied = await fetch(`${gw.url}/echo/mcp`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as { error: string }).error, 'origin_not_allowed');
    const allowed = await fetch(`${gw.url}/echo/mcp`, { method: 'POST', headers: { origin: 'https://app.example.com', 'content-type': 'application/json' }, body: '{}' });
    assert.equal(allowed.status, 200);
  });

  test('an unknown path answers JSON 404, and a dead upstream answers JSON 502', async () => {
    const unknown = await fetch(`${gw.url}/nope/mcp`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: string }).error, 'unknown_service');
    await gw.writeService('dead', 'upstream: http://127.0.0.1:1/mcp\nauth: none\n');
    assert.equal((await gw.cli('apply')).code, 0);
    const dead = await fetch(`${gw.url}/dead/mcp`, { method: 'POST', body: '{}' });
    assert.equal(dead.status, 502);
    assert.equal(((await dead.json()) as { error: string }).error, 'gateway_error');
    assert.equal((await gw.cli('remove', 'dead')).code, 0);
  });

  test('disable answers the documented JSON error and enable restores an auth: none service, without reloading Caddy (same pid, same config ETag), while a stream on another service keeps going', async () => {
    const pid = gw.caddy.child.pid;
    const other = await connect(gw, 'legacy');
    try {
      const stream = openLongStream(other);
      await stream.progressed(1); // provably open before the change
      const etag = (await gw.caddy.client.getConfig()).etag;
      const disabled = await gw.cli('disable', 'stream');
      assert.equal(disabled.code, 0, disabled.stderr);
      const res = await fetch(`${gw.url}/stream/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { error: 'service_disabled', service: 'stream', message: 'service "stream" is disabled on this gateway' });
      const enabled = await gw.cli('enable', 'stream');
      assert.equal(enabled.code, 0, enabled.stderr);
      const client = await connect(gw, 'stream');
      assert.ok((await client.listTools()).tools.length > 0, 'auth: none: no token needed once enabled again');
      await client.close();
      const seenAfterEnable = stream.progress.length;
      await stream.progressed(seenAfterEnable + 2); // still streaming after both changes returned
      const result = await stream.done;
      assert.match(JSON.stringify(result.content), /Long running operation completed/);
      assert.ok(stream.progress.every((p, i) => p === i + 1), `progress in order without a gap: ${stream.progress.join(',')}`);
      assert.equal((await gw.caddy.client.getConfig()).etag, etag, "Caddy's config was not replaced");
      assert.equal(gw.caddy.child.pid, pid);
      assert.equal(gw.caddy.child.exitCode, null, 'Caddy was not restarted');
    } finally {
      await other.close();
    }
  });

  test('a gated service whose health.json says unhealthy answers 503 service_unhealthy without an apply, and serves again once healthy', async () => {
    await gw.writeService('gated', `upstream: ${echo.url}\nauth: none\nhealth:\n  gate: true\n`);
    assert.equal((await gw.cli('apply')).code, 0);
    const etag = (await gw.caddy.client.getConfig()).etag;
    const healthFile = join(gw.dir, '.mcpgw', 'health.json');
    const post = () => fetch(`${gw.url}/gated/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await eventually(async () => assert.equal((await post()).status, 200));
    await writeFile(healthFile, JSON.stringify({ gated: { status: 'unhealthy', reason: 'connection refused', checkedAt: new Date().toISOString() } }));
    const withheld = await eventually(async () => {
      const res = await post();
      assert.equal(res.status, 503);
      return res.json();
    });
    assert.deepEqual(withheld, { error: 'service_unhealthy', service: 'gated', message: 'service "gated" failed its health check and is withheld (health.gate)' });
    await writeFile(healthFile, JSON.stringify({ gated: { status: 'healthy', checkedAt: new Date().toISOString() } }));
    await eventually(async () => assert.equal((await post()).status, 200));
    assert.equal((await gw.caddy.client.getConfig()).etag, etag, 'the gate never touched Caddy');
    assert.equal((await gw.cli('remove', 'gated')).code, 0);
  });

  test('enable/disable change no route, so apply --dry-run stays in sync; a route edit with --no-apply is drift (exit 3) until applied', async () => {
    assert.equal((await gw.cli('disable', 'echo', '--no-apply')).code, 0);
    const still = await gw.cli('apply', '--dry-run');
    assert.equal(still.code, 0, still.stdout + still.stderr);
    assert.match(still.stdout, /in sync/);
    await eventually(async () => assert.equal((await fetch(`${gw.url}/echo/mcp`, { method: 'POST', body: '{}' })).status, 503));
    assert.equal((await gw.cli('enable', 'echo', '--no-apply')).code, 0);
    const original = await readFile(join(gw.dir, 'registry.d', 'echo.yaml'), 'utf8');
    await writeFile(join(gw.dir, 'registry.d', 'echo.yaml'), original.replace('X-Team: gateway-tests', 'X-Team: edited'));
    const drift = await gw.cli('apply', '--dry-run');
    assert.equal(drift.code, 3, drift.stderr);
    assert.match(drift.stdout, /~ mcpgw-service-echo/);
    await writeFile(join(gw.dir, 'registry.d', 'echo.yaml'), original);
    const clean = await gw.cli('apply', '--dry-run');
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    await eventually(async () => assert.equal((await fetch(`${gw.url}/echo/mcp`, { method: 'POST', body: '{}' })).status, 200));
  });

  test('a config Caddy rejects exits 2 with Caddy\'s reason and leaves the running config as it was', async () => {
    const before = await gw.caddy.client.getConfig();
    // Forge a listen address Caddy cannot bind (the SSE upstream already holds that port).
    const settings = await readFile(join(gw.dir, 'mcpgw.yaml'), 'utf8');
    await writeFile(join(gw.dir, 'mcpgw.yaml'), `gateway:\n  listen: 127.0.0.1:${legacy.port}\ncaddy:\n  admin: ${gw.caddy.admin}\n`);
    const rejected = await gw.cli('apply');
    assert.equal(rejected.code, 2);
    assert.match(rejected.stderr, /rejected the config .*address already in use.* the running config is unchanged/);
    const afterConfig = await gw.caddy.client.getConfig();
    assert.deepEqual(afterConfig.config, before.config);
    assert.equal(afterConfig.etag, before.etag);
    await writeFile(join(gw.dir, 'mcpgw.yaml'), settings);
  });
});
