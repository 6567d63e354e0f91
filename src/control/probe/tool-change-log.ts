// tool-changes/<service>.jsonl: one line per probe that saw the tool list change. Append-only,
// so the history of what a server offered survives later approvals.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StateLayout } from '../../core/state/layout.js';
import type { ToolDiff } from '../../core/state/tool-diff.js';

export interface ToolChangeRecord extends ToolDiff {
  service: string;
  /** ISO time of the probe that noticed the change. */
  detectedAt: string;
}

export async function appendToolChange(layout: StateLayout, record: ToolChangeRecord): Promise<void> {
  const file = layout.toolChangesFile(record.service);
  await mkdir(dirname(file), { recursive: true });
  // O_APPEND: concurrent probers add lines without overwriting each other; a reader skips a
  // torn line rather than fail.
  await appendFile(file, `${JSON.stringify(record)}\n`);
}

/** Oldest first. */
export async function readToolChanges(layout: StateLayout, service: string): Promise<ToolChangeRecord[]> {
  let text: string;
  try {
    text = await readFile(layout.toolChangesFile(service), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as ToolChangeRecord];
    } catch {
      return [];
    }
  });
}
