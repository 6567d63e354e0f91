// `mcpgw keys revoke` through real Caddy and authd (issue 12, item 3): the next request with
// the key is refused the moment the command returns — warm decision caches included — and a
// broken scopes.yml neither blocks the revocation nor brings the key back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startHeaderEcho } from '../../../testkit/header-echo.js';
import { eventually } from '../../helpers/eventually.js';

const SCOPES = 'groups:\n  devs: [forecast]\nscopes:\n  forecast:\n    servers:\n      echo:\n        tools: [get_forecast]\n';
const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_forecast', arguments: {} } });

describe('API key revocation', { timeout: 240_000 }, () => {
  let gw: TestGateway;
  let echo: Awaited<ReturnType<typeof startHeaderEcho>>;

  before(async () => {
    echo = await startHeaderEcho();
    await writeFile(join((gw = await startTestGateway()).dir, 'scopes.yml'), SCOPES);
    await gw.writeService('echo', `upstream: ${echo.url}\n`);
    const applied = await gw.cli('apply');
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(async () => {
    await Promise.allSettled([gw?.close(), echo?.close()]);
  });

  const send = (key: string) =>
    fetch(`${gw.url}/echo/mcp`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: call }).then(async (r) => (await r.body?.cancel(), r.status));

  async function createKey(name: string): Promise<string> {
    const created = await gw.cli('keys', 'create', '--name', name, '--group', 'devs', '--json');
    assert.equal(created.code, 0, created.stderr);
    return (JSON.parse(created.stdout) as { data: { key: string } }).data.key;
  }

  test('a revoked key is refused by the first request after `keys revoke` returns, caches warm', async () => {
    const key = await createKey('ci');
    await eventually(async () => assert.equal(await send(key), 200));
    for (let i = 0; i < 5; i++) assert.equal(await send(key), 200, 'cached identity and decision');
    const revoked = await gw.cli('keys', 'revoke', 'ci');
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(await send(key), 401, 'refused at once, no waiting');
  });

  test('with scopes.yml broken, revocation still works at once and stays in force', async () => {
    const key = await createKey('ci-2');
    await eventually(async () => assert.equal(await send(key), 200));
    await writeFile(join(gw.dir, 'scopes.yml'), 'groups:\n  devs: [no-such-scope]\n');
    await eventually(async () => assert.ok(gw.authd!.source.failedReloads > 0, 'authd rejected the broken file'));
    assert.equal(await send(key), 200, 'the last good policy is still in force');
    const revoked = await gw.cli('keys', 'revoke', 'ci-2');
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(await send(key), 401);
    await writeFile(join(gw.dir, 'scopes.yml'), SCOPES);
    await eventually(async () => assert.ok(gw.authd!.source.reloadCount > 0));
    assert.equal(await send(key), 401, 'still revoked after the policy reloads');
  });
});
