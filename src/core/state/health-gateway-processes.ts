// The processes `mcpgw up` manages, from <state>/run/processes.json, with whether each is
// still alive. No file means the gateway is not running.
import type { StateLayout } from './layout.js';
import { readJson } from './snapshots.js';

/** One entry of run/processes.json as `mcpgw up` writes it. */
export interface ProcessRecord {
  pid: number;
  url?: string;
  startedAt: string;
  log: string;
}

export interface ManagedProcess extends ProcessRecord {
  name: string;
  alive: boolean;
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Undefined when the gateway is not running (no processes.json). */
export async function readGatewayProcesses(layout: StateLayout, alive: (pid: number) => boolean = isPidAlive): Promise<ManagedProcess[] | undefined> {
  const records = await readJson<Record<string, ProcessRecord>>(layout.processesFile);
  if (!records) return undefined;
  return Object.entries(records)
    .map(([name, rec]) => ({ ...rec, name, alive: Number.isInteger(rec.pid) && rec.pid > 0 && alive(rec.pid) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
