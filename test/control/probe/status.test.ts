import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileAtomic } from '../../../src/core/config/atomic-file.js';
import { probeServices, selectServices } from '../../../src/control/probe/index.js';
import { runCli } from '../../../testkit/cli.js';
import { checkoutWith } from './project.js';
import { startSdkServer } from '../../../testkit/sdk-server.js';

async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

test('mcpgw status lists each service with enabled, health, tools, latency and last check, and says when the gateway is not running', async (t) => {
  const server = await startSdkServer();
  t.after(server.close);
  const checkout = await checkoutWith({ weather: { upstream: server.url }, idle: { upstream: server.url, enabled: false } });
  t.after(checkout.cleanup);
  const project = await checkout.load();
  await probeServices(project, selectServices(project));

  const json = await runCli(['status', '--json'], { cwd: checkout.dir });
  assert.equal(json.code, 0, json.stderr);
  const status = JSON.parse(json.stdout).data;
  assert.equal(status.processes, undefined);
  const weather = status.services.find((s: { name: string }) => s.name === 'weather');
  assert.deepEqual({ enabled: weather.enabled, status: weather.status, toolCount: weather.toolCount, gated: weather.gated }, { enabled: true, status: 'healthy', toolCount: 1, gated: false });
  assert.equal(typeof weather.latencyMs, 'number');
  assert.ok(weather.checkedAt);
  assert.deepEqual(status.services.find((s: { name: string }) => s.name === 'idle'), { name: 'idle', enabled: false, status: 'unknown', withheld: 0, gated: false });

  const text = await runCli(['status'], { cwd: checkout.dir });
  assert.match(text.stdout, /^NAME\s+ENABLED\s+HEALTH\s+TOOLS\s+LATENCY\s+CHECKED$/m);
  assert.match(text.stdout, /^weather\s+yes\s+healthy\s+1\s+\d+ ms\s+\d+ s ago$/m);
  assert.match(text.stdout, /^idle\s+no\s+unknown\s+-\s+-\s+-$/m);
  assert.match(text.stdout, /gateway: not running/);
});

test('mcpgw status shows the gateway\'s managed processes and whether each is still alive', async (t) => {
  const checkout = await checkoutWith({});
  t.after(checkout.cleanup);
  const dead = await exitedPid();
  await writeFileAtomic(
    checkout.layout.processesFile,
    JSON.stringify({
      authd: { pid: process.pid, url: 'http://127.0.0.1:8081', startedAt: new Date().toISOString(), log: 'logs/authd.log' },
      caddy: { pid: dead, startedAt: new Date().toISOString(), log: 'logs/caddy.log' },
    }),
  );
  const status = JSON.parse((await runCli(['status', '--json'], { cwd: checkout.dir })).stdout).data;
  assert.deepEqual(status.processes.map((p: { name: string; alive: boolean }) => [p.name, p.alive]), [['authd', true], ['caddy', false]]);
  const text = (await runCli(['status'], { cwd: checkout.dir })).stdout;
  assert.match(text, /^authd\s+\d+\s+running\s+http:\/\/127.0.0.1:8081/m);
  assert.match(text, /^caddy\s+\d+\s+exited\s+-/m);
});
