import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../testkit/cli.js';
import { stopChild } from '../../../testkit/mcp-servers.js';
import { checkoutWith } from './project.js';
import { startSdkServer } from '../../../testkit/sdk-server.js';

/** Start a long-running mcpgw command; resolves each time stdout has printed a matching line. */
function startCli(args: string[], cwd: string) {
  const child = spawn(process.execPath, ['--import', join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const waitFor = async (pattern: RegExp): Promise<string> => {
    while (!pattern.test(stdout)) {
      if (child.exitCode !== null) throw new Error(`mcpgw exited (${child.exitCode}) before printing ${pattern}: ${stdout}`);
      await Promise.race([once(child.stdout, 'data'), once(child, 'exit')]);
    }
    return stdout;
  };
  return { child, waitFor };
}

test('mcpgw probe --watch prints health changes as JSON lines and stops cleanly on SIGTERM', async (t) => {
  const server = await startSdkServer();
  t.after(server.close);
  const checkout = await checkoutWith({ weather: { upstream: server.url, health: { interval: '300ms' } } });
  t.after(checkout.cleanup);
  const watch = startCli(['probe', '--watch', '--json'], checkout.dir);
  t.after(() => stopChild(watch.child));

  const first = JSON.parse((await watch.waitFor(/\n/)).split('\n')[0]!).data;
  assert.deepEqual({ event: first.event, service: first.service, status: first.current.status }, { event: 'health-change', service: 'weather', status: 'healthy' });
  await server.close();
  const lines = (await watch.waitFor(/"unhealthy"/)).trim().split('\n').map((l) => JSON.parse(l).data);
  assert.equal(lines.at(-1).current.status, 'unhealthy');
  watch.child.kill('SIGTERM');
  const [code] = await once(watch.child, 'exit');
  assert.equal(code, 0);
});

test('mcpgw status --watch --json prints the status again when it changes', async (t) => {
  const server = await startSdkServer();
  t.after(server.close);
  const checkout = await checkoutWith({ weather: { upstream: server.url } });
  t.after(checkout.cleanup);
  const watch = startCli(['status', '--watch', '--json', '--interval', '200ms'], checkout.dir);
  t.after(() => stopChild(watch.child));

  const before = JSON.parse((await watch.waitFor(/\n/)).split('\n')[0]!).data;
  assert.equal(before.services[0].status, 'unknown');
  const probe = startCli(['probe'], checkout.dir);
  await once(probe.child, 'exit');
  const after = JSON.parse((await watch.waitFor(/"healthy"/)).trim().split('\n').at(-1)!).data;
  assert.equal(after.services[0].status, 'healthy');
});
