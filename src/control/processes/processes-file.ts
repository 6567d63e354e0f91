// run/processes.json — what `mcpgw up` started, so `down` stops exactly those processes.
import { rm } from 'node:fs/promises';
import { readJson } from '../../core/state/snapshots.js';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import type { ProcessRecord } from '../../core/state/health-gateway-processes.js';

export type { ProcessRecord };

export type ProcessesFile = Record<string, ProcessRecord>;

export async function readProcesses(file: string): Promise<ProcessesFile> {
  return (await readJson<ProcessesFile>(file)) ?? {};
}

export async function writeProcesses(file: string, processes: ProcessesFile): Promise<void> {
  if (Object.keys(processes).length === 0) return rm(file, { force: true });
  await writeFileAtomic(file, `${JSON.stringify(processes, null, 2)}\n`);
}
