// auth: required through real Caddy and real authd: allowed, denied, and authd down (fail closed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAuthd, type RunningAuthd } from '../../../src/gateway/authd/authd-server.js';
import { createApiKey } from '../../../src/core/identity/api-keys.js';
import { stateLayout } from '../../../src/core/state/layout.js';
import { decodeIdentityHeader } from '../../../src/core/identity/identity-header.js';
import { freePort } from '../../../testkit/ports.js';
import { startGateway, startHeaderEcho, type TestGateway } from './gateway-fixture.js';

const call = (tool: string) => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: {} } });

describe('forward_auth to authd', { timeout: 180_000 }, () => {
  let gw: TestGateway;
  let authd: RunningAuthd | undefined;
  let echo: Awaited<ReturnType<typeof startHeaderEcho>>;
  let key: string;

  before(async () => {
    echo = await startHeaderEcho();
    const authdPort = await freePort();
    gw = await startGateway({ authdListen: `127.0.0.1:${authdPort}` });
    await gw.writeService('echo', `upstream: ${echo.url}\n`);
    await writeFile(join(gw.dir, 'scopes.yml'), 'groups:\n  devs: [forecast]\nscopes:\n  forecast:\n    servers:\n      echo:\n        tools: [get_forecast]\n');
    key = (await createApiKey(stateLayout(join(gw.dir, '.mcpgw')).apiKeysFile, 'ci', ['devs'])).key;
    authd = await startAuthd({ root: gw.dir, log: () => {} });
    const applied = await gw.cli('apply');
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(async () => {
    await Promise.allSettled([authd?.close(), gw?.close(), echo?.close()]);
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
