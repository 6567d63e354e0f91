// `mcpgw import --registry` and `mcpgw sync`: servers read from an MCP Registry API become
// registry.d files to review, through the one server.json importer. The plan is pure; writing
// goes through the registry service as one transaction (nothing overwritten without --force).
import type { ServiceDefinition } from '../../core/config/service.js';
import type { ServiceFields } from '../../core/config/service-yaml.js';
import { importService, ImportFormatError, type ImportOptions } from './import-formats.js';
import { apiBase, type RegistryEntry } from './registry-api-client.js';
import { REGISTRY_META } from '../../core/wire/contract.js';


/** Where an imported definition came from, kept in its `metadata.imported_from`. */
export interface Provenance {
  registry: string;
  name: string;
  version?: string;
  updated_at?: string;
  imported_at: string;
}

export type PlanAction = 'create' | 'overwrite' | 'unchanged' | 'exists' | 'refused';

export interface PlannedImport {
  /** The server's name in the registry (io.github.acme/weather). */
  entry: string;
  version?: string;
  /** The registry.d name it becomes. */
  service?: string;
  action: PlanAction;
  reason?: string;
  fields?: ServiceFields & { name: string };
}

export function updatedAtOf(entry: RegistryEntry): string | undefined {
  const official = entry._meta?.[REGISTRY_META.official] as { updatedAt?: unknown } | undefined;
  return typeof official?.updatedAt === 'string' ? official.updatedAt : undefined;
}

function provenanceOf(svc: ServiceDefinition | undefined): Partial<Provenance> | undefined {
  const p = svc?.metadata.imported_from;
  return p && typeof p === 'object' ? (p as Partial<Provenance>) : undefined;
}

/**
 * Pure: what importing these entries would do to registry.d. `existing` is the checkout's
 * services; a name taken by one is `exists` (or `overwrite` with force), unless that file came
 * from the same registry entry at the same update (`unchanged`).
 */
export function planRegistryImport(
  entries: readonly RegistryEntry[],
  existing: readonly ServiceDefinition[],
  options: { registry: string; importedAt: string; force?: boolean; importOptions?: ImportOptions },
): PlannedImport[] {
  const registry = apiBase(options.registry);
  const taken = new Map<string, string>();
  return entries.map((entry): PlannedImport => {
    const base = { entry: entry.server.name, ...(entry.server.version ? { version: entry.server.version } : {}) };
    let fields: ServiceFields;
    try {
      fields = importService(entry, options.importOptions ?? {});
    } catch (err) {
      if (err instanceof ImportFormatError) return { ...base, action: 'refused', reason: err.message };
      throw err;
    }
    const name = fields.name;
    const twin = taken.get(name);
    if (twin) return { ...base, service: name, action: 'refused', reason: `becomes "${name}" like ${twin} — import it on its own with --search and --name` };
    taken.set(name, entry.server.name);
    const provenance: Provenance = { registry, name: entry.server.name, ...(entry.server.version ? { version: entry.server.version } : {}), ...(updatedAtOf(entry) ? { updated_at: updatedAtOf(entry) } : {}), imported_at: options.importedAt };
    const withProvenance = { ...fields, name, metadata: { ...(fields.metadata ?? {}), imported_from: provenance } };
    const current = existing.find((s) => s.name === name);
    if (!current) return { ...base, service: name, action: 'create', fields: withProvenance };
    const was = provenanceOf(current);
    if (was?.registry === registry && was.name === entry.server.name && was.version === provenance.version && was.updated_at === provenance.updated_at) {
      return { ...base, service: name, action: 'unchanged', reason: `${current.file} holds this version already` };
    }
    if (options.force) return { ...base, service: name, action: 'overwrite', fields: withProvenance };
    return { ...base, service: name, action: 'exists', reason: `${current.file} exists — review the difference (--dry-run), then --force to overwrite it` };
  });
}

/**
 * The next sync's updated_since: the newest update (the registry's own clock) among what was
 * settled — but before the oldest entry left waiting for --force, so the next sync sees it again.
 */
export function nextSyncTime(entries: readonly RegistryEntry[], plan: readonly PlannedImport[], previous?: string): string | undefined {
  const at = (e: RegistryEntry) => {
    const t = updatedAtOf(e);
    return t && !Number.isNaN(Date.parse(t)) ? Date.parse(t) : undefined;
  };
  const times = entries.map((e, i) => ({ t: at(e), waiting: plan[i]?.action === 'exists' }));
  let next = Math.max(previous ? Date.parse(previous) : -Infinity, ...times.filter((x) => !x.waiting && x.t !== undefined).map((x) => x.t!));
  const waiting = times.filter((x) => x.waiting && x.t !== undefined).map((x) => x.t!);
  if (waiting.length) next = Math.min(next, Math.min(...waiting) - 1);
  return Number.isFinite(next) ? new Date(next).toISOString() : previous;
}
