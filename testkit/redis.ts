// A real Redis (Debian's redis-server) on a private loopback port, without persistence; the
// test that starts it stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, waitForPort } from './ports.js';
import { stopChild } from './mcp-servers.js';
import { reapOnExit } from './reap-on-exit.js';

export interface RunningRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(port?: number): Promise<RunningRedis> {
  const p = port ?? (await freePort());
  const child: ChildProcess = reapOnExit(spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: 'ignore' }));
  await waitForPort(p, '127.0.0.1', 15_000);
  let stopped: Promise<void> | undefined;
  return { port: p, url: `redis://127.0.0.1:${p}`, stop: () => (stopped ??= stopChild(child)) };
}
