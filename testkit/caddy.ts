// A real Caddy for tests: `caddy run` with only an admin API on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaddyAdminClient } from '../src/control/caddy/admin-client.js';
import { freePort } from './ports.js';
import { stopChild } from './mcp-servers.js';

export interface RunningCaddy {
  admin: string;
  client: CaddyAdminClient;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `boot.admin` and `boot.apps` are for the one test that plays a developer's own Caddy on the
 * default addresses (test/testkit/defaults-untouched.test.ts); every other caller gets a private admin.
 */
export async function startCaddy(env: NodeJS.ProcessEnv = {}, boot: { admin?: string; apps?: Record<string, unknown> } = {}): Promise<RunningCaddy> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-caddy-'));
  const admin = boot.admin ?? `127.0.0.1:${await freePort()}`;
  const config = join(dir, 'boot.json');
  await writeFile(config, JSON.stringify({ admin: { listen: admin, config: { persist: false } }, ...(boot.apps ? { apps: boot.apps } : {}) }));
  // Own XDG dirs: a test Caddy must not touch the user's Caddy data or autosave.
  const child = spawn('caddy', ['run', '--config', config], {
    env: { ...process.env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
  const client = new CaddyAdminClient(admin, { retries: 0 });
  const deadline = Date.now() + 20_000;
  while (!(await client.reachable())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`caddy did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    admin,
    client,
    child,
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
