// Loads the whole desired state of a checkout — mcpgw.yaml, registry.d/, scopes.yml — and
// reports every problem across all files in one pass.
import { readFile, readdir } from 'node:fs/promises';
import { basename, extname, join, relative, isAbsolute } from 'node:path';
import type { ZodType, ZodTypeDef } from 'zod';
import { ConfigInvalidError, hasErrors, sortIssues, type ConfigIssue } from './issues.js';
import { parseYaml, validateYaml, type HintTable, type ParsedYaml } from './yaml-document.js';
import { serviceSchema, SERVICE_HINTS, type ServiceDefinition } from './service.js';
import { settingsSchema, SETTINGS_HINTS, type Settings } from './settings.js';
import { scopesFileSchema, SCOPES_HINTS, type ScopesFile } from './scopes.js';
import { matchesPattern } from './pattern.js';
import { projectPaths, type ProjectPaths } from './paths.js';
import { crossServiceIssues, type ServiceIdentity } from './service-paths.js';
import { readJson } from '../state/snapshots.js';
import { loadPeerServices, withPeerServices } from './federation.js';
import { upstreamAuthSettingsIssues } from './upstream-auth.js';
import { stateLayout } from '../state/layout.js';

export { crossServiceIssues };

export { projectPaths, type ProjectPaths };

export interface Project {
  paths: ProjectPaths;
  settings: Settings;
  services: ServiceDefinition[];
  scopes: ScopesFile;
  /** Absolute state directory. */
  stateDir: string;
  /** Warnings that did not stop loading. */
  warnings: ConfigIssue[];
}

export interface LoadResult<T> {
  value?: T;
  issues: ConfigIssue[];
}

/** A file's text, or undefined when it does not exist. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Parse and validate one YAML text against a schema. `display` is the name used in messages. */
export function loadYamlText<T>(display: string, text: string, schema: ZodType<T, ZodTypeDef, unknown>, hints: HintTable): LoadResult<T> & { parsed?: ParsedYaml } {
  const { parsed, issues } = parseYaml(display, text);
  if (!parsed) return { issues };
  return { ...validateYaml(parsed, schema, hints), parsed };
}

export type { ServiceIdentity };

function writtenIdentity(display: string, data: unknown): ServiceIdentity | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const { name, path } = data as { name?: unknown; path?: unknown };
  if (typeof name !== 'string' || name === '') return undefined;
  return { file: display, name, path: typeof path === 'string' ? path : `/${name}` };
}

/** The env variable an inline header secret should come from, e.g. GITHUB_TOKEN for github's Authorization. */
function secretReferenceHint(service: string | undefined, header: string): string {
  const prefix = (service ?? 'service').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const isAuth = /^(proxy-)?authorization$/i.test(header);
  const variable = isAuth ? `${prefix}_TOKEN` : `${prefix}_${header.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
  const value = isAuth ? `"Bearer \${env:${variable}}"` : `"\${env:${variable}}"`;
  return `write it by reference: headers: { ${header}: ${value} } (or \${file:/run/secrets/${service ?? 'service'}})`;
}

export function loadServiceText(display: string, text: string): LoadResult<ServiceDefinition> & { parsed?: ParsedYaml; identity?: ServiceIdentity } {
  const result = loadYamlText(display, text, serviceSchema, SERVICE_HINTS);
  if (!result.parsed) return { issues: result.issues };
  const identity = writtenIdentity(display, result.parsed.data);
  const issues: ConfigIssue[] = result.issues.map((issue) =>
    issue.code === 'E_INLINE_SECRET' && issue.field?.startsWith('headers.') ? { ...issue, hint: secretReferenceHint(identity?.name, issue.field.slice('headers.'.length)) } : issue,
  );
  // The file-name rule holds whatever else is wrong in the file: one pass reports every problem.
  const stem = basename(display, extname(display));
  if (identity && identity.name !== stem) {
    issues.push({
      code: 'E_NAME_MISMATCH',
      severity: 'error',
      file: display,
      ...result.parsed.locate(['name']),
      field: 'name',
      message: `"${identity.name}" does not match the file name "${stem}"`,
      hint: `rename the file to ${identity.name}${extname(display)} or set name: ${stem}`,
    });
  }
  if (!result.value) return { issues: sortIssues(issues), parsed: result.parsed, identity };
  return { value: { ...result.value, file: display }, issues: sortIssues(issues), parsed: result.parsed, identity };
}

export interface RegistryLoad extends LoadResult<ServiceDefinition[]> {
  /** Files that did not load (YAML or schema errors); the other services are in `value`. */
  badFiles: string[];
  /** Every service name written in registry.d, valid or not. */
  names: { name: string }[];
}

/**
 * Load registry.d. `sseEndpoints` (service → the legacy SSE message path apply routes for it)
 * lets path checks see those routes too; see routedSseEndpoints.
 */
export async function loadRegistry(paths: ProjectPaths, sseEndpoints: Readonly<Record<string, string>> = {}): Promise<RegistryLoad> {
  let entries: string[];
  try {
    entries = (await readdir(paths.registryDir)).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: [], issues: [], badFiles: [], names: [] };
    throw err;
  }
  const issues: ConfigIssue[] = [];
  const services: ServiceDefinition[] = [];
  const identities: ServiceIdentity[] = [];
  const badFiles: string[] = [];
  const parsedByName = new Map<string, ParsedYaml>();
  await Promise.all(
    entries.map(async (entry) => {
      const display = relative(paths.root, join(paths.registryDir, entry)) || entry;
      const text = await readFile(join(paths.registryDir, entry), 'utf8');
      const loaded = loadServiceText(display, text);
      issues.push(...loaded.issues);
      if (loaded.parsed) parsedByName.set(display, loaded.parsed);
      if (loaded.identity) identities.push(loaded.identity);
      if (loaded.value) services.push(loaded.value);
      if (!loaded.value || hasErrors(loaded.issues)) badFiles.push(display);
    }),
  );
  services.sort((a, b) => a.name.localeCompare(b.name));
  identities.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
  issues.push(...crossServiceIssues(identities, parsedByName, sseEndpoints));
  return { value: services, issues, badFiles: badFiles.sort(), names: identities.map(({ name }) => ({ name })) };
}

async function loadOptionalYaml<T>(path: string, root: string, schema: ZodType<T, ZodTypeDef, unknown>, hints: HintTable): Promise<LoadResult<T> & { parsed?: ParsedYaml }> {
  const text = (await readOptional(path)) ?? '{}';
  return loadYamlText(relative(root, path) || path, text, schema, hints);
}

export async function loadSettings(paths: ProjectPaths): Promise<LoadResult<Settings>> {
  return loadOptionalYaml(paths.settingsFile, paths.root, settingsSchema, SETTINGS_HINTS);
}

export async function loadScopes(paths: ProjectPaths, services?: readonly { name: string }[]): Promise<LoadResult<ScopesFile>> {
  const result = await loadOptionalYaml(paths.scopesFile, paths.root, scopesFileSchema, SCOPES_HINTS);
  if (!result.parsed) return result;
  // References are checked on what is written even when the schema failed: one pass, every problem.
  const references = scopeReferenceIssues(result.value ?? writtenScopes(result.parsed.data), result.parsed, services);
  return { value: result.value, issues: [...result.issues, ...references] };
}

type ScopeReferences = { groups: Record<string, readonly string[]>; scopes: Record<string, { servers: Record<string, unknown> }> };

/** The groups and scopes of a scopes.yml that does not validate, as far as they have the right shape. */
function writtenScopes(data: unknown): ScopeReferences {
  const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const { groups, scopes } = record(data);
  return {
    groups: Object.fromEntries(Object.entries(record(groups)).map(([g, names]) => [g, Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : []])),
    scopes: Object.fromEntries(Object.entries(record(scopes)).map(([name, scope]) => [name, { servers: record(record(scope).servers) }])),
  };
}

export function scopeReferenceIssues(scopes: ScopeReferences, parsed: ParsedYaml, services?: readonly { name: string }[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const defined = Object.keys(scopes.scopes);
  for (const [group, names] of Object.entries(scopes.groups)) {
    names.forEach((name, i) => {
      if (!(name in scopes.scopes)) {
        issues.push({
          code: 'E_UNKNOWN_SCOPE',
          severity: 'error',
          file: parsed.file,
          ...parsed.locate(['groups', group, i]),
          field: `groups.${group}[${i}]`,
          message: `scope "${name}" is not defined under scopes:`,
          hint: defined.length ? `use one of: ${defined.join(', ')}` : 'define it under scopes:',
        });
      }
    });
  }
  if (services) {
    for (const [scopeName, scope] of Object.entries(scopes.scopes)) {
      for (const server of Object.keys(scope.servers)) {
        if (!services.some((s) => matchesPattern(server, s.name)) && server !== 'mcpgw') {
          issues.push({
            code: 'W_UNKNOWN_SERVER',
            severity: 'warning',
            file: parsed.file,
            ...parsed.locate(['scopes', scopeName, 'servers', server]),
            field: `scopes.${scopeName}.servers.${server}`,
            message: `no service in registry.d matches "${server}"`,
            hint: 'check the name, or register the service',
          });
        }
      }
    }
  }
  return issues;
}

/** The absolute state directory (state_dir is relative to the checkout). */
export function stateDirFor(paths: ProjectPaths, settings: Settings): string {
  return isAbsolute(settings.state_dir) ? settings.state_dir : join(paths.root, settings.state_dir);
}

/** keys.json: identity.api_keys_file (a mounted Secret, relative to the checkout), else in the state dir. */
export function apiKeysFileOf(project: Pick<Project, 'paths' | 'settings' | 'stateDir'>): string {
  const file = project.settings.identity.api_keys_file;
  if (!file) return stateLayout(project.stateDir).apiKeysFile;
  return isAbsolute(file) ? file : join(project.paths.root, file);
}

/**
 * The legacy SSE message paths the gateway routes (apply's cache in the state dir, written by
 * control/caddy/sse-endpoint-cache): service name → exact path. {} before the first apply.
 */
export async function routedSseEndpoints(paths: ProjectPaths, settings?: Settings): Promise<Record<string, string>> {
  const known = settings ?? (await loadSettings(paths)).value;
  if (!known) return {};
  return (await readJson<Record<string, string>>(stateLayout(stateDirFor(paths, known)).sseEndpointsFile).catch(() => undefined)) ?? {};
}

/** Load everything; returns all issues (errors and warnings), sorted, and a project when there are no errors. */
export async function loadProjectChecked(root: string): Promise<{ project?: Project; issues: ConfigIssue[] }> {
  const paths = projectPaths(root);
  const settings = await loadSettings(paths);
  const registry = await loadRegistry(paths, await routedSseEndpoints(paths, settings.value));
  const scopes = await loadScopes(paths, registry.names);
  const crossFile = settings.value && registry.value ? upstreamAuthSettingsIssues(settings.value, registry.value) : [];
  const issues = sortIssues([...settings.issues, ...registry.issues, ...scopes.issues, ...crossFile]);
  if (hasErrors(issues) || !settings.value || !registry.value || !scopes.value) return { issues };
  const stateDir = stateDirFor(paths, settings.value);
  const { services, warnings } = await federated(paths, settings.value, stateDir, registry.value);
  return {
    project: { paths, settings: settings.value, services, scopes: scopes.value, stateDir, warnings: [...issues, ...warnings] },
    issues,
  };
}

/** The checkout's services plus the federation peers' (read-only, from their last catalogue). */
async function federated(paths: ProjectPaths, settings: Settings, stateDir: string, local: ServiceDefinition[]): Promise<{ services: ServiceDefinition[]; warnings: ConfigIssue[] }> {
  if (!settings.federation.peers.length) return { services: local, warnings: [] };
  const peers = await loadPeerServices(settings, stateDir);
  const merged = withPeerServices(local, peers.services);
  const file = relative(paths.root, paths.settingsFile) || paths.settingsFile;
  const warnings = [...peers.skipped, ...merged.skipped].map((message): ConfigIssue => ({ code: 'W_FEDERATED_SERVICE_LEFT_OUT', severity: 'warning', file, field: 'federation.peers', message, hint: 'the peer service is not offered here; rename the local one or ask the peer' }));
  return { services: merged.services, warnings };
}

/**
 * The absolute state directory from mcpgw.yaml alone: for what must work while registry.d or
 * scopes.yml do not validate (revoking an API key). Throws ConfigInvalidError for mcpgw.yaml.
 */
export async function loadStateDir(root: string): Promise<string> {
  const paths = projectPaths(root);
  const settings = await loadSettings(paths);
  if (!settings.value) throw new ConfigInvalidError(settings.issues);
  return stateDirFor(paths, settings.value);
}

/** keys.json from mcpgw.yaml alone (revoking must work while registry.d or scopes.yml do not validate). */
export async function loadApiKeysFile(root: string): Promise<string> {
  const paths = projectPaths(root);
  const settings = await loadSettings(paths);
  if (!settings.value) throw new ConfigInvalidError(settings.issues);
  return apiKeysFileOf({ paths, settings: settings.value, stateDir: stateDirFor(paths, settings.value) });
}

/** Load everything or throw ConfigInvalidError with every problem found. */
export async function loadProject(root: string): Promise<Project> {
  const { project, issues } = await loadProjectChecked(root);
  if (!project) throw new ConfigInvalidError(issues);
  return project;
}

/** A project for read-only commands, and the registry.d files it had to leave out. */
export interface ReadableProject {
  project: Project;
  /** The errors of each registry.d file that was left out (file → its error issues). */
  leftOut: { file: string; issues: ConfigIssue[] }[];
}

/**
 * For commands that only read (list, status, find, keys list): one bad file in registry.d must
 * not hide the other services, so it is left out and named. mcpgw.yaml and scopes.yml still
 * have to validate — without them nothing can be shown correctly.
 */
export async function loadProjectForReading(root: string): Promise<ReadableProject> {
  const paths = projectPaths(root);
  const [settings, registry] = await Promise.all([loadSettings(paths), loadRegistry(paths)]);
  const scopes = await loadScopes(paths, registry.names);
  const issues = sortIssues([...settings.issues, ...registry.issues, ...scopes.issues]);
  if (hasErrors(settings.issues) || hasErrors(scopes.issues) || !settings.value || !scopes.value) throw new ConfigInvalidError(issues);
  const bad = new Set(registry.badFiles);
  const leftOut = registry.badFiles.map((file) => ({ file, issues: issues.filter((i) => i.file === file && i.severity === 'error') }));
  const stateDir = stateDirFor(paths, settings.value);
  const { services, warnings } = await federated(paths, settings.value, stateDir, (registry.value ?? []).filter((s) => !bad.has(s.file)));
  return {
    project: { paths, settings: settings.value, services, scopes: scopes.value, stateDir, warnings: [...issues.filter((i) => !bad.has(i.file)), ...warnings] },
    leftOut,
  };
}
