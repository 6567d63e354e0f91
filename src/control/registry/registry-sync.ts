// The import from a registry as one feature for the CLI (and any other front door): read the
// registry, plan, write what is new through the registry service, remember the source; `sync`
// repeats it for every remembered source with updated_since = the newest update seen last time.
import { resolveSecrets } from '../../core/config/secrets.js';
import type { Actor } from '../../core/policy/registry-access.js';
import type { RegistryService } from './registry-service.js';
import type { ApplyOutcome, ApplyWhen } from './serialized-apply.js';
import { apiBase, readRegistry, RegistryReadError } from './registry-api-client.js';
import { nextSyncTime, planRegistryImport, type PlannedImport } from './registry-import.js';
import { readSources, rememberSource, type RegistrySource } from './registry-sources.js';
import type { ImportOptions } from './import-formats.js';

export interface RegistryImportRequest {
  url: string;
  search?: string;
  /** RFC 3339: only servers updated after it. */
  since?: string;
  /** The bearer token by reference (`${env:NAME}`, `${file:PATH}`). */
  token?: string;
  force?: boolean;
  dryRun?: boolean;
  apply?: ApplyWhen;
  importOptions?: ImportOptions;
}

export interface RegistryImportResult {
  registry: string;
  plan: PlannedImport[];
  written: { service: string; file: string }[];
  gateway?: ApplyOutcome;
  /** What the next `mcpgw sync` asks for (updated_since). */
  lastSync?: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export async function importFromRegistry(registry: RegistryService, actor: Actor, req: RegistryImportRequest): Promise<RegistryImportResult> {
  if (req.since !== undefined && (!RFC3339.test(req.since) || Number.isNaN(Date.parse(req.since)))) {
    throw new RegistryReadError(`--since "${req.since}" is not an RFC 3339 date-time`, 400, 'use e.g. 2025-10-01T00:00:00Z');
  }
  const url = apiBase(req.url);
  const token = req.token ? resolveSecrets(req.token, registry.project.paths.root) : undefined;
  const entries = await readRegistry(url, { search: req.search, updatedSince: req.since, token });
  const plan = planRegistryImport(entries, registry.project.services, { registry: url, importedAt: new Date().toISOString(), force: req.force, importOptions: req.importOptions });
  const lastSync = nextSyncTime(entries, plan, req.since);
  if (req.dryRun) return { registry: url, plan, written: [], lastSync };
  const toWrite = plan.filter((p) => p.action === 'create' || p.action === 'overwrite');
  let written: RegistryImportResult['written'] = [];
  let gateway: ApplyOutcome | undefined;
  if (toWrite.length) {
    const outcome = await registry.register(actor, toWrite.map((p) => ({ fields: p.fields!, comment: `Imported by mcpgw from ${url} (${p.entry}${p.version ? ` ${p.version}` : ''}) — review before enabling in production` })), { replace: req.force, apply: req.apply });
    written = outcome.changes.map((c) => ({ service: c.service, file: c.file }));
    gateway = outcome.gateway;
  }
  await rememberSource(registry.project.stateDir, { url, ...(req.search ? { search: req.search } : {}), ...(req.token ? { token: req.token } : {}), ...(lastSync ? { last_sync: lastSync } : {}) });
  return { registry: url, plan, written, gateway, lastSync };
}

/** Every remembered source (or the one at `only`), asked for what changed since its last sync. */
export async function syncRegistries(registry: RegistryService, actor: Actor, options: { only?: string; force?: boolean; dryRun?: boolean; apply?: ApplyWhen } = {}): Promise<RegistryImportResult[]> {
  const sources: RegistrySource[] = (await readSources(registry.project.stateDir)).filter((s) => !options.only || apiBase(s.url) === apiBase(options.only));
  if (!sources.length) {
    throw new RegistryReadError(options.only ? `no import from ${options.only} to sync: run mcpgw import --registry ${options.only} first` : 'no registry to sync: run mcpgw import --registry URL first', 404);
  }
  const results: RegistryImportResult[] = [];
  for (const s of sources) {
    results.push(await importFromRegistry(registry, actor, { url: s.url, search: s.search, since: s.last_sync, token: s.token, force: options.force, dryRun: options.dryRun, apply: options.apply }));
  }
  return results;
}
