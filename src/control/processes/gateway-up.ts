// `mcpgw up` / `down`: Caddy plus mcpgw's own daemons as managed processes, then apply.
import { join, dirname } from 'node:path';
import type { Project } from '../../core/config/project.js';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import { stateLayout } from '../../core/state/layout.js';
import { applyProject, type ApplyReport } from '../caddy/apply.js';
import { GatewayRunningError } from './errors.js';
import { adminSection } from '../caddy/render.js';
import { checkoutId, ownerTag } from '../../core/state/checkout-identity.js';
import { forgetStartedSettings, recordStartedSettings } from './restart-needed.js';
import { assertCaddyInstalled, startProcess, stopPid, waitUntilReady, type StartedProcess } from './process-launcher.js';
import { isPidAlive } from '../../core/state/process-liveness.js';
import { readProcesses, writeProcesses, type ProcessesFile } from './processes-file.js';
import { processSpecs, selfCommand, type SelfCommand } from './process-spec.js';

export interface UpOptions {
  /** Names of the commands the program has (createProgram().commands). */
  available: ReadonlySet<string>;
  /** Keep the children attached (containers, systemd); default: detach them. */
  foreground?: boolean;
  self?: SelfCommand;
  log?: (line: string) => void;
}

export interface UpResult {
  started: StartedProcess[];
  processes: ProcessesFile;
  apply: ApplyReport;
}

export async function gatewayUp(project: Project, options: UpOptions): Promise<UpResult> {
  const layout = stateLayout(project.stateDir);
  const running = Object.entries(await readProcesses(layout.processesFile)).filter(([, r]) => isPidAlive(r.pid));
  if (running.length) throw new GatewayRunningError(running.map(([n, r]) => `${n} pid ${r.pid}`), layout.processesFile);
  assertCaddyInstalled(project.settings.caddy.binary);
  // Caddy boots with only its admin API; the routes arrive through apply like any later change.
  const bootConfig = join(dirname(layout.lastAppliedFile), 'boot.json');
  // The boot config already carries this checkout's identity: apply then knows this Caddy as ours.
  const owner = ownerTag(await checkoutId(project.stateDir));
  await writeFileAtomic(bootConfig, `${JSON.stringify({ '@id': owner, admin: adminSection(project.settings.caddy.admin) }, null, 2)}\n`);
  const specs = processSpecs(project, options.available, options.self ?? selfCommand(), { binary: project.settings.caddy.binary, bootConfig, owner });
  const started: StartedProcess[] = [];
  const processes: ProcessesFile = {};
  try {
    for (const spec of specs) {
      const proc = await startProcess(spec, layout.logFile(spec.name), options.foreground ? 'foreground' : 'background');
      started.push(proc);
      processes[spec.name] = { pid: proc.child.pid!, ...(spec.url ? { url: spec.url } : {}), startedAt: proc.startedAt, log: proc.log };
      // Recorded before waiting, so `down` can clean up even a start that hangs.
      await writeProcesses(layout.processesFile, processes);
      await waitUntilReady(proc);
      options.log?.(`${spec.name}: running (pid ${proc.child.pid})${spec.url ? ` at ${spec.url}` : ''}`);
    }
    await recordStartedSettings(project);
    const apply = await applyProject(project);
    const failed = apply.results.find((r) => r.error);
    if (failed?.error) throw failed.error;
    return { started, processes, apply };
  } catch (err) {
    await stopAll(processes);
    await writeProcesses(layout.processesFile, {});
    await forgetStartedSettings(project);
    throw err;
  }
}

async function stopAll(processes: ProcessesFile): Promise<string[]> {
  const stopped: string[] = [];
  // Reverse start order: the daemons first, Caddy (their front door) last.
  for (const [name, record] of Object.entries(processes).reverse()) {
    if (await stopPid(record.pid)) stopped.push(name);
  }
  return stopped;
}

export interface DownResult {
  stopped: string[];
  /** Recorded but already gone. */
  gone: string[];
}

export async function gatewayDown(project: Project): Promise<DownResult> {
  const layout = stateLayout(project.stateDir);
  const processes = await readProcesses(layout.processesFile);
  const stopped = await stopAll(processes);
  await writeProcesses(layout.processesFile, {});
  await forgetStartedSettings(project);
  return { stopped, gone: Object.keys(processes).filter((n) => !stopped.includes(n)) };
}

/**
 * `up --foreground` (containers, systemd): stay attached until a signal or until any managed
 * process dies, then stop the rest — so the supervisor sees one failure and restarts all.
 */
export async function superviseForeground(project: Project, result: UpResult, log: (line: string) => void, beforeStop?: () => Promise<void>): Promise<number> {
  const exited = new Promise<number>((resolve) => {
    for (const proc of result.started) {
      proc.child.once('exit', (code, signal) => {
        log(`${proc.spec.name} exited (${signal ?? `code ${code}`}); stopping the gateway`);
        resolve(1);
      });
    }
  });
  const signalled = new Promise<number>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve(0));
  });
  const code = await Promise.race([exited, signalled]);
  await beforeStop?.();
  await gatewayDown(project);
  return code;
}
