// Sessions bound to the identity that opened them (issue 12, item 6), through real Caddy and
// authd to real server-everything: another caller holding the session id — even one with the
// same rights — cannot POST into, GET or DELETE a Streamable HTTP session, nor post to a
// legacy SSE session's message endpoint.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEverything, type RunningServer } from '../../../testkit/mcp-servers.js';
import { runCli } from '../../../testkit/cli.js';
import { startRegistryGateway, type RegistryGateway } from '../../discovery/registry-server/registry-gateway.js';

const rpc = (id: number | undefined, method: string, params: Record<string, unknown> = {}) => JSON.stringify({ jsonrpc: '2.0', ...(id === undefined ? {} : { id }), method, params });
const INIT = rpc(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'session-test', version: '1' } });

describe('session binding', () => {
  let gw: RegistryGateway;
  let legacy: RunningServer;
  let owner: string;
  let other: string;

  before(async () => {
    gw = await startRegistryGateway();
    legacy = await startEverything('sse');
    await writeFile(join(gw.dir, 'registry.d', 'legacy.yaml'), `name: legacy\ntransport: sse\nupstream: ${legacy.url}\n`);
    const applied = await runCli(['apply'], { cwd: gw.dir, timeoutMs: 120_000 });
    assert.equal(applied.code, 0, applied.stderr);
    // Two callers with the same rights (admins): only identity tells them apart.
    owner = await gw.token('olivia', ['admins']);
    other = await gw.token('mallory', ['admins']);
  });
  after(async () => {
    await legacy?.stop();
    await gw?.stop();
  });

  const send = (method: string, path: string, token: string, headers: Record<string, string> = {}, body?: string) =>
    fetch(`${gw.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18', ...headers }, body });

  async function refused(res: Response, what: string): Promise<void> {
    assert.equal(res.status, 403, what);
    assert.equal(((await res.json()) as { error: { data: { code: string } } }).error.data.code, 'ERR_SESSION_OWNER', what);
  }

  test('a Streamable HTTP session: only its opener may POST, GET or DELETE it', async () => {
    const init = await send('POST', '/everything/mcp', owner, {}, INIT);
    assert.equal(init.status, 200);
    const session = init.headers.get('mcp-session-id')!;
    assert.ok(session, 'server-everything opened a session');
    await init.body?.cancel();
    const initialized = await send('POST', '/everything/mcp', owner, { 'mcp-session-id': session }, rpc(undefined, 'notifications/initialized'));
    assert.equal(initialized.status, 202);
    await refused(await send('POST', '/everything/mcp', other, { 'mcp-session-id': session }, rpc(2, 'tools/list')), 'POST into it');
    await refused(await send('GET', '/everything/mcp', other, { 'mcp-session-id': session, accept: 'text/event-stream' }), 'GET its stream');
    await refused(await send('DELETE', '/everything/mcp', other, { 'mcp-session-id': session }), 'DELETE it');
    const mine = await send('POST', '/everything/mcp', owner, { 'mcp-session-id': session }, rpc(3, 'tools/list'));
    assert.equal(mine.status, 200, 'the owner carries on');
    assert.match(await mine.text(), /echo/);
  });

  test('a legacy SSE session: only its opener may post messages to it', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${gw.url}/legacy/sse`, { headers: { authorization: `Bearer ${owner}`, accept: 'text/event-stream' }, signal: controller.signal });
    assert.equal(stream.status, 200);
    const reader = stream.body!.getReader();
    let text = '';
    while (!/event: endpoint\r?\ndata: (\S+)/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    const endpoint = /event: endpoint\r?\ndata: (\S+)/.exec(text)![1]!;
    try {
      assert.match(endpoint, /sessionId=/);
      const first = await send('POST', endpoint, owner, {}, INIT);
      assert.equal(first.status, 202, await first.text());
      await refused(await send('POST', endpoint, other, {}, rpc(2, 'tools/list')), 'post into it');
      const again = await send('POST', endpoint, owner, {}, rpc(3, 'tools/list'));
      assert.equal(again.status, 202);
    } finally {
      controller.abort();
    }
  });
});
