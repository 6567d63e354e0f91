// run/processes.json — what `mcpgw up` started, so `down` stops exactly those processes.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { readJson } from '../../core/state/snapshots.js';
import { writeFileAtomic } from '../../core/config/atomic-file.js';

export interface ProcessRecord {
  pid: number;
  url?: string;
  startedAt: string;
  log: string;
}

export type ProcessesFile = Record<string, ProcessRecord>;

export async function readProcesses(file: string): Promise<ProcessesFile> {
  return (await readJson<ProcessesFile>(file)) ?? {};
}

export async function writeProcesses(file: string, processes: ProcessesFile): Promise<void> {
  if (Object.keys(processes).length === 0) return rm(file, { force: true });
  await writeFileAtomic(file, `${JSON.stringify(processes, null, 2)}\n`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // An exited child not yet reaped by its parent still answers signal 0 (a zombie).
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
