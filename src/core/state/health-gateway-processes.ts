// The processes `mcpgw up` manages, from <state>/run/processes.json, with whether each is
// still alive. No file means the gateway is not running.
import type { StateLayout } from './layout.js';
import { isPidAlive } from './process-liveness.js';
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

/** Undefined when the gateway is not running (no processes.json). */
export async function readGatewayProcesses(layout: StateLayout, alive: (pid: number) => boolean = isPidAlive): Promise<ManagedProcess[] | undefined> {
  const records = await readJson<Record<string, ProcessRecord>>(layout.processesFile);
  if (!records) return undefined;
  return Object.entries(records)
    .map(([name, rec]) => ({ ...rec, name, alive: alive(rec.pid) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
