import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { followRegistry, gatedServices, startProbeLoop, type HealthChange } from '../../../src/control/probe/index.js';
import { readHealth } from '../../../src/core/state/snapshots.js';
import { checkoutWith } from './project.js';
import { sampleTool, startSdkServer } from '../../../testkit/sdk-server.js';

/** The next health change of `service` (other services' changes are skipped). */
async function nextChange(loop: ReturnType<typeof startProbeLoop>, service: string): Promise<HealthChange> {
  for (;;) {
    const [change] = (await once(loop, 'health-change')) as [HealthChange];
    if (change.service === service) return change;
  }
}

test('the probe loop publishes health changes, and a gated service is withheld while down and returns when it recovers', async (t) => {
  let server = await startSdkServer();
  const port = server.port;
  t.after(() => server.close());
  const checkout = await checkoutWith({
    weather: { upstream: server.url, health: { interval: '200ms', timeout: '2s', gate: true } },
  });
  t.after(checkout.cleanup);
  const project = await checkout.load();
  // No back-off growth and no jitter keep the test independent of luck, not of timing.
  const loop = startProbeLoop(project, { jitter: 0, maxBackoffMs: 200 });
  t.after(() => loop.stop());

  const first = await nextChange(loop, 'weather');
  assert.equal(first.previous, undefined);
  assert.equal(first.current.status, 'healthy');
  assert.deepEqual(gatedServices(project, await readHealth(checkout.layout)), new Set());

  await server.close();
  const down = await nextChange(loop, 'weather');
  assert.equal(down.previous?.status, 'healthy');
  assert.equal(down.current.status, 'unhealthy');
  assert.deepEqual(gatedServices(project, await readHealth(checkout.layout)), new Set(['weather']));

  server = await startSdkServer({ tools: [sampleTool('echo')], port });
  const up = await nextChange(loop, 'weather');
  assert.equal(up.current.status, 'healthy');
  assert.deepEqual(gatedServices(project, await readHealth(checkout.layout)), new Set());
});

test('the probe loop reports a tool change as an event', async (t) => {
  const server = await startSdkServer({ tools: [sampleTool('echo')] });
  t.after(server.close);
  const checkout = await checkoutWith({ weather: { upstream: server.url, health: { interval: '200ms' } } });
  t.after(checkout.cleanup);
  const loop = startProbeLoop(await checkout.load(), { jitter: 0 });
  t.after(() => loop.stop());
  await nextChange(loop, 'weather');
  server.tools.push(sampleTool('get_alerts'));
  const [record] = await once(loop, 'tools-change');
  assert.deepEqual(record.added.map((tool: { name: string }) => tool.name), ['get_alerts']);
});

test('a probe loop that follows registry.d probes a service registered while it runs', async (t) => {
  const server = await startSdkServer();
  t.after(server.close);
  const checkout = await checkoutWith({ first: { upstream: server.url, health: { interval: '1h' } } });
  t.after(checkout.cleanup);
  const project = await checkout.load();
  const loop = startProbeLoop(project);
  const unfollow = await followRegistry(loop, project.paths);
  t.after(() => (unfollow(), loop.stop()));
  await nextChange(loop, 'first');

  await writeFile(join(checkout.dir, 'registry.d', 'second.yaml'), stringify({ name: 'second', upstream: server.url }));
  const change = await nextChange(loop, 'second');
  assert.equal(change.current.status, 'healthy');
});
