// Start a managed process with its output in a log file, wait until it answers, stop it by pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CaddyAdminClient } from '../caddy/admin-client.js';
import { CaddyMissingError, ProcessStartError } from './errors.js';
import { isPidAlive } from '../../core/state/process-liveness.js';
import type { ProcessSpec, Readiness } from './process-spec.js';

export interface StartedProcess {
  spec: ProcessSpec;
  child: ChildProcess;
  log: string;
  startedAt: string;
}

/** Fail early, with the install command, when the Caddy binary is not there. */
export function assertCaddyInstalled(binary: string): void {
  const probe = spawnSync(binary, ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new CaddyMissingError(binary);
  }
}

/** `detached` puts the child in its own session so it outlives `mcpgw up` (background mode). */
export async function startProcess(spec: ProcessSpec, log: string, detached: boolean): Promise<StartedProcess> {
  await mkdir(dirname(log), { recursive: true });
  const out = await open(log, 'a', 0o600);
  try {
    const child = spawn(spec.command, spec.args, { stdio: ['ignore', out.fd, out.fd], detached, env: process.env });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new ProcessStartError(`${spec.name}: cannot start ${spec.command}: ${err.message}`)));
    });
    if (detached) child.unref();
    return { spec, child, log, startedAt: new Date().toISOString() };
  } finally {
    await out.close();
  }
}

async function answers(ready: Readiness): Promise<boolean> {
  if (ready.kind === 'running') return true;
  if (ready.kind === 'caddy-admin') return new CaddyAdminClient(ready.target, { retries: 0, timeoutMs: 2000 }).reachable();
  try {
    // Any HTTP answer means the server is up; readiness is not health.
    await fetch(ready.url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

export async function waitUntilReady(started: StartedProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      throw new ProcessStartError(`${started.spec.name} exited during start-up (code ${started.child.exitCode ?? started.child.signalCode}): ${await logTail(started.log)}`, `see ${started.log}`);
    }
    if (await answers(started.spec.ready)) return;
    if (Date.now() > deadline) throw new ProcessStartError(`${started.spec.name} did not answer within ${timeoutMs / 1000}s`, `see ${started.log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function logTail(log: string): Promise<string> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-3).join(' | ') || '(empty log)';
}

/** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process is gone. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<boolean> {
  if (!isPidAlive(pid)) return false;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  const deadline = Date.now() + graceMs;
  while (isPidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isPidAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isPidAlive(pid)) await new Promise((r) => setTimeout(r, 20));
  return true;
}
