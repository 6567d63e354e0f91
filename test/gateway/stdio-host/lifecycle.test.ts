import { test } from 'node:test';
import assert from 'node:assert/strict';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { childPid, connectClient, everythingYaml, isRunning, memoryYaml, startHostFor, textOf, waitFor } from './stdio-checkout.js';

test('killing the child mid-call gives the call in flight a JSON-RPC error, and the next call works after the restart', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const client = await connectClient(t, host, 'everything');
  let progressed!: () => void;
  const firstProgress = new Promise<void>((resolve) => (progressed = resolve));
  const inFlight = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 30, steps: 30 } }, undefined, { onprogress: () => progressed() });
  await firstProgress;
  const pid = childPid(host, 'everything');
  assert.ok(pid, 'the child runs');
  process.kill(pid, 'SIGKILL');
  await assert.rejects(inFlight, (err: unknown) => {
    assert.ok(err instanceof McpError, `a JSON-RPC error, got ${String(err)}`);
    assert.equal(err.code, -32000);
    assert.match(err.message, /exited .*retry/);
    return true;
  });
  const after = await client.callTool({ name: 'echo', arguments: { message: 'back again' } });
  assert.match(textOf(after), /back again/);
  const restartedPid = childPid(host, 'everything');
  assert.ok(restartedPid && restartedPid !== pid, 'a new child serves the call');
  assert.equal(host.status()[0]?.children[0]?.restarts, 1);
});

test('disabling a service in registry.d answers 404 for it and stops its child', async (t) => {
  const running = await startHostFor(t, (dir) => ({ memory: memoryYaml(dir) }));
  const client = await connectClient(t, running.host, 'memory');
  await client.listTools();
  const pid = childPid(running.host, 'memory');
  assert.ok(pid);
  await running.writeService('memory', `${memoryYaml(running.dir)}enabled: false\n`);
  const res = await waitFor('the service to go away', async () => {
    const r = await fetch(`${running.host.url}/memory/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    return r.status === 404 ? r : undefined;
  });
  assert.equal(res.headers.get('content-type'), 'application/json');
  // A JSON-RPC error (the MCP client's language), its stable code in data.
  assert.equal(((await res.json()) as { error: { data: { code: string } } }).error.data.code, 'ERR_SERVICE_NOT_FOUND');
  await waitFor('the child to exit', () => !isRunning(pid));
  assert.deepEqual(running.host.status(), []);
});

test('an unknown service path is a JSON 404; /healthz answers with the services', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const health = (await (await fetch(`${host.url}/healthz`)).json()) as { ok: boolean; services: { service: string }[] };
  assert.deepEqual([health.ok, health.services.map((s) => s.service)], [true, ['everything']]);
  const res = await fetch(`${host.url}/nope/mcp`, { method: 'POST', body: '{}' });
  assert.equal(res.status, 404);
  assert.match(((await res.json()) as { error: { message: string } }).error.message, /no enabled stdio service/);
});

test('per-session concurrency gives each client session its own child, stopped when the session ends', async (t) => {
  const { host } = await startHostFor(t, (dir) => ({ memory: memoryYaml(dir, 'per-session') }));
  const first = await connectClient(t, host, 'memory');
  const second = await connectClient(t, host, 'memory');
  await Promise.all([first.listTools(), second.listTools()]);
  const pids = host.status()[0]?.children.map((c) => c.pid);
  assert.equal(pids?.length, 2);
  assert.notEqual(pids?.[0], pids?.[1]);
  await (first.transport as StreamableHTTPClientTransport).terminateSession();
  await first.close();
  await waitFor('the first session\'s child to stop', () => host.status()[0]?.children.length === 1);
  assert.match(textOf(await second.callTool({ name: 'read_graph', arguments: {} })), /entities/);
});

test('a Streamable HTTP session that goes quiet without DELETE is ended, and its per-session child stopped', async (t) => {
  const { host } = await startHostFor(t, (dir) => ({ memory: memoryYaml(dir, 'per-session') }), { sessionIdleMs: 300 });
  const client = await connectClient(t, host, 'memory');
  await client.listTools();
  const pid = host.status()[0]?.children[0]?.pid;
  assert.ok(pid);
  await client.close(); // the SDK client closes its streams but sends no DELETE
  await waitFor('the idle session to end', () => host.status()[0]?.children.length === 0);
  await waitFor('its child to exit', () => !isRunning(pid));
});
