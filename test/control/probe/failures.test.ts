import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeServices, selectServices } from '../../../src/control/probe/index.js';
import { readHealth, readSnapshot } from '../../../src/core/state/snapshots.js';
import { runCli } from '../../../testkit/cli.js';
import { freePort } from '../../../testkit/ports.js';
import { checkoutWith } from './project.js';
import { startSdkServer } from '../../../testkit/sdk-server.js';

const TOKEN = 'probe-test-token-93af01';

async function everyFile(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
}

test('unreachable, slow and 401 servers get unhealthy, timeout and auth-required; a header secret reference is resolved at probe time and never stored', async (t) => {
  const [slow, guarded, deadPort] = await Promise.all([startSdkServer({ listToolsDelayMs: 60_000 }), startSdkServer({ requireBearer: TOKEN }), freePort()]);
  t.after(() => Promise.all([slow.close(), guarded.close()]));
  const checkout = await checkoutWith({
    unreachable: { upstream: `http://127.0.0.1:${deadPort}/mcp` },
    slow: { upstream: slow.url, health: { timeout: '1s' } },
    guarded: { upstream: guarded.url },
    'guarded-with-token': { upstream: guarded.url, headers: { Authorization: 'Bearer ${env:PROBE_TEST_TOKEN}' } },
    'missing-secret': { upstream: guarded.url, headers: { Authorization: 'Bearer ${env:PROBE_TEST_UNSET_TOKEN}' } },
  });
  t.after(checkout.cleanup);
  const project = await checkout.load();

  const results = await probeServices(project, selectServices(project), { env: { ...process.env, PROBE_TEST_TOKEN: TOKEN } });
  const status = Object.fromEntries(results.map((r) => [r.service, r.health]));
  assert.equal(status.unreachable!.status, 'unhealthy');
  assert.match(status.unreachable!.reason!, /connection refused/);
  assert.equal(status.slow!.status, 'timeout');
  assert.equal(status.guarded!.status, 'auth-required');
  assert.equal(status['guarded-with-token']!.status, 'healthy', status['guarded-with-token']!.reason);
  assert.equal(status['missing-secret']!.status, 'unhealthy');
  assert.match(status['missing-secret']!.reason!, /PROBE_TEST_UNSET_TOKEN is not set/);

  assert.equal(await readSnapshot(checkout.layout, 'slow'), undefined, 'a failed check writes no snapshot');
  assert.deepEqual((await readSnapshot(checkout.layout, 'guarded-with-token'))?.tools.map((tool) => tool.name), ['echo']);
  assert.equal((await readHealth(checkout.layout)).unreachable?.failures, 1);
  assert.ok(!(await everyFile(checkout.layout.root)).includes(TOKEN), 'the resolved secret is not in the state dir');
});

test('mcpgw probe exits 0 when every probed service is healthy and 2 when any is not', async (t) => {
  const [server, deadPort] = await Promise.all([startSdkServer(), freePort()]);
  t.after(server.close);
  const checkout = await checkoutWith({ up: { upstream: server.url }, down: { upstream: `http://127.0.0.1:${deadPort}/mcp` } });
  t.after(checkout.cleanup);

  const one = await runCli(['probe', 'up'], { cwd: checkout.dir });
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /^up\s+healthy\s+1\s/m);

  const all = await runCli(['probe', '--json'], { cwd: checkout.dir });
  assert.equal(all.code, 2, all.stderr);
  const report = JSON.parse(all.stdout);
  assert.equal(report.ok, false);
  assert.equal(report.error.code, 'ERR_UNHEALTHY');
  assert.deepEqual(report.data.results.map((r: { service: string; health: { status: string } }) => [r.service, r.health.status]).sort(), [['down', 'unhealthy'], ['up', 'healthy']]);

  const unknown = await runCli(['probe', 'nope'], { cwd: checkout.dir });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no service "nope"/);
});
