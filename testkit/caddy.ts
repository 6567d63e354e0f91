// A real Caddy for tests: `caddy run` with its own admin API on a private loopback port, its own
// XDG dirs, and nothing else until the test pushes a config. It is trusted only once its own log
// says it serves (Caddy listens with SO_REUSEPORT, so an admin port can answer for another Caddy).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaddyAdminClient } from '../src/control/caddy/admin-client.js';
import { freePort } from './ports.js';
import { stopChild } from './mcp-servers.js';
import { reapOnExit } from './reap-on-exit.js';

export interface RunningCaddy {
  admin: string;
  client: CaddyAdminClient;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface CaddyBoot {
  /** Admin address; default a private port of this process. Only test/testkit/defaults-untouched.test.ts names the default. */
  admin?: string;
  /** Apps of the boot config (that same test's stand-in for a developer's own Caddy). */
  apps?: Record<string, unknown>;
}

/** Caddy could not listen where it was told: something else holds an address of its boot config. */
export class CaddyAddressTakenError extends Error {
  readonly code = 'ERR_CADDY_ADDRESS_TAKEN';
}

export async function startCaddy(env: NodeJS.ProcessEnv = {}, boot: CaddyBoot = {}): Promise<RunningCaddy> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-caddy-'));
  const admin = boot.admin ?? `127.0.0.1:${await freePort()}`;
  const config = join(dir, 'boot.json');
  await writeFile(config, JSON.stringify({ admin: { listen: admin, config: { persist: false } }, ...(boot.apps ? { apps: boot.apps } : {}) }));
  // Own XDG dirs: a test Caddy must not touch the user's Caddy data or autosave.
  const child = reapOnExit(spawn('caddy', ['run', '--config', config], {
    env: { ...process.env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  }));
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  let log = '';
  const serving = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`caddy did not start in 20 s: ${log}`)), 20_000);
    child.stderr!.on('data', (d) => {
      log = (log + d).slice(-8000);
      if (log.includes('"serving initial configuration"')) clearTimeout(timer), resolve();
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(/address already in use/.test(log) ? new CaddyAddressTakenError(`caddy could not listen: ${log}`) : new Error(`caddy exited at start: ${log}`));
    });
  });
  const client = new CaddyAdminClient(admin, { retries: 0 });
  try {
    await serving;
    if (!(await client.reachable())) throw new Error(`caddy says it serves, but its admin ${admin} does not answer: ${log}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { admin, client, child, stop };
}
