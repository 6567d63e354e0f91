// auth: required through real Caddy and real authd: allowed, denied, and authd down (fail closed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { RunningAuthd } from '../../../src/gateway/authd/authd-server.js';
import { decodeIdentityHeader } from '../../../src/core/identity/identity-header.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startHeaderEcho } from '../../../testkit/header-echo.js';
import { FORECAST_SCOPES } from './forecast-scopes.js';

const call = (tool: string) => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: {} } });

describe('forward_auth to authd', { timeout: 180_000 }, () => {
  let gw: TestGateway;
  let authd: RunningAuthd | undefined;
  let echo: Awaited<ReturnType<typeof startHeaderEcho>>;
  let key: string;

  before(async () => {
    echo = await startHeaderEcho();
    gw = await startTestGateway({ services: { echo: `upstream: ${echo.url}\n` }, scopes: FORECAST_SCOPES, apiKeys: { ci: ['devs'] } });
    key = gw.keys.ci!;
    authd = gw.authd;
    const applied = await gw.cli('apply');
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(async () => {
    await Promise.allSettled([gw?.close(), echo?.close()]);
  });

  const post = (body: string, token?: string) =>
    fetch(`${gw.url}/echo/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-user': 'forged' },
      body,
    });

  test('without a token authd answers 401 with WWW-Authenticate, passed to the client unchanged; the upstream is not reached', async () => {
    const res = await post(call('get_forecast'));
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer .*resource_metadata="/);
    assert.equal(echo.last(), undefined);
  });

  test('an allowed tools/call reaches the upstream with authd\'s identity headers and without the client token', async () => {
    const res = await post(call('get_forecast'), key);
    assert.equal(res.status, 200, await res.clone().text());
    const seen = echo.last()!;
    assert.equal(seen.headers['x-user'], undefined, 'the forged X-User is deleted');
    const identity = decodeIdentityHeader(String(seen.headers['x-mcpgw-identity']));
    assert.equal(identity.subject, 'api-key:ci', 'authd named the caller');
    assert.deepEqual(identity.groups, ['devs']);
    assert.equal(seen.headers.authorization, undefined);
    assert.match(((await res.json()) as { result: { body: string } }).result.body, /get_forecast/, 'the body still reaches the upstream after authd read it');
  });

  test('a tool outside the caller\'s scopes gets authd\'s 403 and never reaches the upstream', async () => {
    const before = echo.last();
    const res = await post(call('delete_everything'), key);
    assert.equal(res.status, 403);
    assert.equal(echo.last(), before);
  });

  test('with authd down the request fails closed with a JSON error and is never proxied', async () => {
    await authd!.close();
    authd = undefined;
    const before = echo.last();
    const res = await post(call('get_forecast'), key);
    assert.equal(res.status, 502);
    assert.equal(((await res.json()) as { error: string }).error, 'gateway_error');
    assert.equal(echo.last(), before);
  });
});

describe('forward_auth keeps its connection to authd', { timeout: 180_000 }, () => {
  let gw: TestGateway;
  let echo: Awaited<ReturnType<typeof startHeaderEcho>>;
  let relay: Server;
  let connections = 0;

  before(async () => {
    echo = await startHeaderEcho();
    gw = await startTestGateway({ services: { echo: `upstream: ${echo.url}\n` }, scopes: FORECAST_SCOPES, apiKeys: { ci: ['devs'] }, authd: false });
    // Caddy dials authd's configured address: a relay there counts the TCP connections it
    // opens, and pipes each one to authd on a port of its own.
    const authd = await gw.startAuthd({ listen: '127.0.0.1:0' });
    const open = new Set<Socket>();
    relay = createServer((socket) => {
      connections++;
      const to = connect(authd.port, '127.0.0.1');
      for (const s of [socket, to]) open.add(s), s.on('close', () => open.delete(s));
      socket.pipe(to).pipe(socket);
      socket.on('error', () => to.destroy());
      to.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => relay.once('error', reject).listen(gw.ports.authd, gw.host, resolve));
    // Caddy keeps idle connections for 2 min: end them, or close() waits for them.
    gw.onClose(() => new Promise((resolve) => (relay.close(resolve), open.forEach((s) => s.destroy()))));
    await gw.apply();
  });
  after(async () => {
    await Promise.allSettled([gw?.close(), echo?.close()]);
  });

  test('one client calling one after the other uses one connection to authd, not one per call', async () => {
    const opened = connections;
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${gw.url}/echo/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${gw.keys.ci}` },
        body: call('get_forecast'),
      });
      assert.equal(res.status, 200, await res.text());
    }
    assert.equal(echo.count(), 20, 'every call was decided and proxied');
    // An answer Caddy closes unread (a chunked empty 200) would cost a connection per call.
    assert.ok(connections - opened <= 1, `Caddy opened ${connections - opened} connections to authd for 20 calls one after the other`);
  });
});
