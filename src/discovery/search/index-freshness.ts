// Decides whether the persisted index still describes the files: a stamp (mtime and size) of
// mcpgw.yaml and of each service's definition, snapshot and approvals, compared with those
// recorded at build time. Only stat calls: `find` runs this before every query. They are
// synchronous: a thousand stats of cached inodes take a few ms, their promises several times that.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ProjectPaths } from '../../core/config/project.js';
import type { StateLayout } from '../../core/state/layout.js';

export interface ServiceStamp {
  definition: string;
  snapshot?: string;
  approvals?: string;
}

export interface SourceStamps {
  settings?: string;
  services: Record<string, ServiceStamp>;
}

export interface Staleness {
  /** Nothing can be reused: no index, other settings or another embedder. */
  full: boolean;
  /** Services whose documents must be (re)built. */
  changed: string[];
  /** Services whose documents must go. */
  removed: string[];
}

function stampOf(path: string): string | undefined {
  const info = statSync(path, { throwIfNoEntry: false });
  return info && `${Math.round(info.mtimeMs)}:${info.size}`;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export function sourceStamps(paths: ProjectPaths, layout: StateLayout): SourceStamps {
  const files = listDir(paths.registryDir).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.'));
  // One listing per state folder, then stat only files that exist: most services have no
  // approvals, and static-tools services no snapshot.
  const listings = new Map<string, Set<string>>();
  const listing = (dir: string) => {
    let names = listings.get(dir);
    if (!names) listings.set(dir, (names = new Set(listDir(dir))));
    return names;
  };
  const present = (file: (service: string) => string, service: string) => {
    const path = file(service);
    return listing(dirname(path)).has(basename(path)) ? stampOf(path) : undefined;
  };
  const entries = files.map((file): [string, ServiceStamp] => {
    const name = file.replace(/\.ya?ml$/, '');
    const [definition, snapshot, approvals] = [stampOf(join(paths.registryDir, file)), present(layout.snapshotFile, name), present(layout.approvalsFile, name)];
    return [name, { definition: definition ?? 'gone', ...(snapshot && { snapshot }), ...(approvals && { approvals }) }];
  });
  return { settings: stampOf(paths.settingsFile), services: Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

const sameStamp = (a: ServiceStamp | undefined, b: ServiceStamp | undefined) =>
  a !== undefined && b !== undefined && a.definition === b.definition && a.snapshot === b.snapshot && a.approvals === b.approvals;

/** Pure: what must be rebuilt to go from the recorded stamps to the current ones. */
export function staleness(recorded: SourceStamps | undefined, current: SourceStamps): Staleness {
  if (!recorded || recorded.settings !== current.settings) return { full: true, changed: Object.keys(current.services), removed: [] };
  return {
    full: false,
    changed: Object.keys(current.services).filter((name) => !sameStamp(recorded.services[name], current.services[name])),
    removed: Object.keys(recorded.services).filter((name) => !(name in current.services)),
  };
}

export function isFresh(s: Staleness): boolean {
  return !s.full && s.changed.length === 0 && s.removed.length === 0;
}
