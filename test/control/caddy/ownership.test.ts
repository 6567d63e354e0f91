// A gateway's Caddy knows which checkout it belongs to (issue 14 item 6): real Caddy, two
// checkouts pointing at the same admin address — the second is refused until it --adopts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../testkit/cli.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';

describe('Caddy ownership: apply pushes only to this checkout\'s Caddy', { timeout: 240_000 }, () => {
  let gw: TestGateway;
  let other: string;
  const otherCli = (...args: string[]) => runCli(args, { cwd: other, timeoutMs: 120_000 });
  const liveOwner = async () => (await gw.caddy.client.getConfig()).config?.['@id'];
  const liveRoutes = async () => (await gw.caddy.client.getConfig()).config?.apps.http.servers.mcpgw?.routes.map((r) => r['@id']);

  before(async () => {
    gw = await startTestGateway();
    await gw.writeService('alpha', 'upstream: http://127.0.0.1:9/mcp\nauth: none\n');
    // A second checkout with the same mcpgw.yaml (same admin address) but its own state dir.
    other = await mkdtemp(join(tmpdir(), 'mcpgw-other-'));
    await cp(join(gw.dir, 'mcpgw.yaml'), join(other, 'mcpgw.yaml'));
    await cp(join(gw.dir, 'registry.d'), join(other, 'registry.d'), { recursive: true });
    await otherCli('register', '--name', 'beta', '--upstream', 'http://127.0.0.1:9/mcp', '--no-apply');
  });
  after(async () => {
    await gw?.close();
    await rm(other, { recursive: true, force: true });
  });

  test('the first apply claims an empty Caddy: the config carries the checkout id kept in the state dir', async () => {
    const r = await gw.cli('apply');
    assert.equal(r.code, 0, r.stderr);
    const id = (await readFile(join(gw.dir, '.mcpgw', 'checkout-id'), 'utf8')).trim();
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(await liveOwner(), `mcpgw-checkout-${id}`);
    assert.equal((await gw.cli('apply')).code, 0, 'its own Caddy: applying again is fine');
  });

  test("another checkout's apply is refused, --target alone does not help, and nothing changes", async () => {
    const before = await liveRoutes();
    const refused = await otherCli('apply', '--json');
    assert.equal(refused.code, 2, refused.stderr);
    const envelope = JSON.parse(refused.stdout);
    assert.equal(envelope.error.code, 'ERR_CADDY_NOT_OURS');
    assert.match(envelope.error.message, /belongs to another mcpgw checkout \(mcpgw-checkout-[0-9a-f-]+\); nothing was pushed/);
    assert.match(envelope.error.hint, /--adopt/);
    const targeted = await otherCli('apply', '--target', gw.caddy.admin);
    assert.equal(targeted.code, 2);
    assert.match(targeted.stderr, /belongs to another mcpgw checkout/);
    // A registry change in the other checkout writes its file but does not reach this Caddy.
    const register = await otherCli('register', '--name', 'gamma', '--upstream', 'http://127.0.0.1:9/mcp');
    assert.equal(register.code, 2, register.stderr);
    assert.match(register.stderr, /the files changed, but applying them failed: .*belongs to another mcpgw checkout/);
    assert.deepEqual(await liveRoutes(), before);
  });

  test('--adopt takes the Caddy over; then the first checkout is the one refused', async () => {
    const adopted = await otherCli('apply', '--adopt');
    assert.equal(adopted.code, 0, adopted.stderr);
    const id = (await readFile(join(other, '.mcpgw', 'checkout-id'), 'utf8')).trim();
    assert.equal(await liveOwner(), `mcpgw-checkout-${id}`);
    assert.ok((await liveRoutes())?.includes('mcpgw-service-beta'));
    const refused = await gw.cli('apply');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /belongs to another mcpgw checkout/);
  });

  test('a Caddy running a config no mcpgw pushed is refused too, until --adopt', async () => {
    const foreign = { admin: { listen: gw.caddy.admin, config: { persist: false } }, apps: { http: { servers: { site: { listen: ['127.0.0.1:0'], routes: [] } } } } };
    await gw.caddy.client.putConfig(foreign as never);
    const refused = await gw.cli('apply');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /runs a config that no mcpgw checkout pushed; nothing was pushed/);
    assert.deepEqual(Object.keys((await gw.caddy.client.getConfig()).config!.apps.http.servers), ['site']);
    assert.equal((await gw.cli('apply', '--adopt')).code, 0);
    assert.ok((await liveRoutes())?.includes('mcpgw-service-alpha'));
  });
});
