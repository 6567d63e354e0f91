// The gateway harness itself: everything it starts listens on private ports of its own host,
// its Caddy is its own, close() leaves nothing running and nothing on disk; several nodes read
// one set of files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { startTestGateway, startTestGateways } from '../../testkit/gateway.js';
import { startHeaderEcho } from '../../testkit/header-echo.js';
import { portIsFree } from '../../testkit/ports.js';
import { DEFAULT_LISTEN } from '../../src/core/wire/contract.js';

const post = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });

test('a harness gateway routes through its own Caddy on private ports, and close() stops it and removes its checkout', async (t) => {
  const echo = await startHeaderEcho();
  t.after(() => echo.close());
  const gw = await startTestGateway({ services: { open: `upstream: ${echo.url}\nauth: none\n` }, apply: true });
  try {
    const defaults = Object.values(DEFAULT_LISTEN).map((a) => Number(a.split(':')[1]));
    for (const port of [gw.ports.gateway, gw.ports.admin, gw.ports.authd]) assert.ok(!defaults.includes(port), `${port} is no default address`);
    assert.equal(gw.caddy.admin, `127.0.0.1:${gw.ports.admin}`, 'Caddy\'s admin is the checkout\'s');
    assert.equal((await post(`${gw.url}/open/mcp`)).status, 200);
    assert.equal(echo.count(), 1);
  } finally {
    await gw.close();
  }
  assert.equal(gw.caddy.child.exitCode !== null || gw.caddy.child.signalCode !== null, true, 'Caddy stopped');
  assert.equal(await portIsFree(gw.ports.gateway), true);
  assert.equal(await portIsFree(gw.ports.authd), true);
  await assert.rejects(access(gw.dir), 'the checkout is gone');
});

test('several nodes on their own loopback addresses read one set of files', { timeout: 120_000 }, async (t) => {
  const echo = await startHeaderEcho();
  t.after(() => echo.close());
  const cluster = await startTestGateways(2, () => ({ services: { open: `upstream: ${echo.url}\nauth: none\n` } }));
  t.after(() => cluster.close());
  assert.deepEqual(cluster.nodes.map((n) => n.host), ['127.0.0.1', '127.0.0.2']);
  await cluster.nodes[0]!.writeService('late', `upstream: ${echo.url}\nauth: none\n`); // into the shared registry.d
  for (const node of cluster.nodes) {
    await node.apply();
    assert.equal((await post(`${node.url}/open/mcp`)).status, 200, node.url);
    assert.equal((await post(`${node.url}/late/mcp`)).status, 200, `${node.url} sees the file written through another node`);
  }
});
