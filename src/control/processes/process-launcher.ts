// Start a managed process with its output in a log file, wait until it answers, stop it by pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CaddyAdminClient } from '../caddy/admin-client.js';
import { CaddyMissingError, ProcessStartError } from './errors.js';
import { isPidAlive } from '../../core/state/process-liveness.js';
import { READY_PID_HEADER, READY_PROBE_HEADER } from '../../core/http/listen.js';
import type { ProcessSpec, Readiness } from './process-spec.js';

export interface StartedProcess {
  spec: ProcessSpec;
  child: ChildProcess;
  log: string;
  /** The log's size when the process started: what it wrote since begins here. */
  logOffset: number;
  startedAt: string;
}

/** Fail early, with the install command, when the Caddy binary is not there. */
export function assertCaddyInstalled(binary: string): void {
  const probe = spawnSync(binary, ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new CaddyMissingError(binary);
  }
}

/**
 * background: the child gets its own session so it outlives `mcpgw up`, its output goes to its
 * log. foreground (containers): its stdout is ours — audit.stdout lines reach the container's
 * log — and its stderr goes to our stderr as well as to its log.
 */
export async function startProcess(spec: ProcessSpec, log: string, mode: 'background' | 'foreground'): Promise<StartedProcess> {
  await mkdir(dirname(log), { recursive: true });
  const out = await open(log, 'a', 0o600);
  try {
    const logOffset = (await out.stat()).size;
    const foreground = mode === 'foreground';
    const stdio = foreground ? (['ignore', 'inherit', 'pipe'] as const) : (['ignore', out.fd, out.fd] as const);
    const child = spawn(spec.command, spec.args, { stdio: [...stdio], detached: !foreground, env: { ...process.env, ...spec.env } });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new ProcessStartError(`${spec.name}: cannot start ${spec.command}: ${err.message}`)));
    });
    if (foreground) {
      const file = createWriteStream(log, { flags: 'a', mode: 0o600 });
      child.stderr?.on('data', (chunk: Buffer) => {
        file.write(chunk);
        process.stderr.write(chunk);
      });
      child.stderr?.once('end', () => file.end());
    } else child.unref();
    return { spec, child, log, logOffset, startedAt: new Date().toISOString() };
  } finally {
    await out.close();
  }
}

/**
 * Whether the process `up` started answers at its address: 'ours', 'nobody' yet, or 'other' —
 * another process holds the port (a second gateway, a stale daemon), which must never count
 * as ours: every request would then reach the wrong process, or get 502.
 */
async function whoAnswers(ready: Readiness, started: StartedProcess): Promise<'ours' | 'nobody' | 'other'> {
  const pid = started.child.pid;
  if (ready.kind === 'log-line') {
    const written = (await readFile(started.log).catch(() => Buffer.alloc(0))).subarray(started.logOffset).toString('utf8');
    return new RegExp(ready.pattern, 'm').test(written) ? 'ours' : 'nobody';
  }
  if (ready.kind === 'caddy-admin') {
    const running = await new CaddyAdminClient(ready.target, { retries: 0, timeoutMs: 2000 }).getConfig().catch(() => undefined);
    if (!running) return 'nobody';
    return running.config?.['@id'] === ready.owner ? 'ours' : 'other';
  }
  try {
    // Any HTTP answer means the server is up (readiness is not health) — if it is our child's.
    const res = await fetch(ready.url, { headers: { [READY_PROBE_HEADER]: '1' }, signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.headers.get(READY_PID_HEADER) === String(pid) ? 'ours' : 'other';
  } catch {
    return 'nobody';
  }
}

function where(ready: Readiness): string {
  return ready.kind === 'caddy-admin' ? `the admin address ${ready.target}` : ready.kind === 'http' ? new URL(ready.url).host : 'its address';
}

export async function waitUntilReady(started: StartedProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      const inUse = /EADDRINUSE|address already in use/i.test(await readFile(started.log, 'utf8').catch(() => ''));
      throw new ProcessStartError(
        `${started.spec.name} exited during start-up (code ${started.child.exitCode ?? started.child.signalCode})${inUse ? ` — ${where(started.spec.ready)} is already in use` : ''}: ${await logTail(started.log)}`,
        inUse ? `another process holds ${where(started.spec.ready)}: stop it, or give this checkout other addresses in mcpgw.yaml; see ${started.log}` : `see ${started.log}`,
      );
    }
    const who = await whoAnswers(started.spec.ready, started);
    if (who === 'ours') return;
    if (Date.now() > deadline) {
      const taken = who === 'other' ? `another process answers at ${where(started.spec.ready)}, not the ${started.spec.name} this \`up\` started` : `${started.spec.name} did not answer within ${timeoutMs / 1000}s`;
      throw new ProcessStartError(`${taken}: ${await logTail(started.log)}`, `free the port or change the address in mcpgw.yaml; see ${started.log}`);
    }
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
