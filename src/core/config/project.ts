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
import { RESERVED_PATHS } from '../wire/contract.js';

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

export function loadServiceText(display: string, text: string): LoadResult<ServiceDefinition> & { parsed?: ParsedYaml } {
  const result = loadYamlText(display, text, serviceSchema, SERVICE_HINTS);
  if (!result.value || !result.parsed) return { issues: result.issues, parsed: result.parsed };
  const issues: ConfigIssue[] = [];
  const stem = basename(display, extname(display));
  if (result.value.name !== stem) {
    issues.push({
      code: 'E_NAME_MISMATCH',
      severity: 'error',
      file: display,
      ...result.parsed.locate(['name']),
      field: 'name',
      message: `"${result.value.name}" does not match the file name "${stem}"`,
      hint: `rename the file to ${result.value.name}${extname(display)} or set name: ${stem}`,
    });
  }
  return { value: { ...result.value, file: display }, issues, parsed: result.parsed };
}

export async function loadRegistry(paths: ProjectPaths): Promise<LoadResult<ServiceDefinition[]>> {
  let entries: string[];
  try {
    entries = (await readdir(paths.registryDir)).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: [], issues: [] };
    throw err;
  }
  const issues: ConfigIssue[] = [];
  const services: ServiceDefinition[] = [];
  const parsedByName = new Map<string, ParsedYaml>();
  await Promise.all(
    entries.map(async (entry) => {
      const display = relative(paths.root, join(paths.registryDir, entry)) || entry;
      const text = await readFile(join(paths.registryDir, entry), 'utf8');
      const loaded = loadServiceText(display, text);
      issues.push(...loaded.issues);
      if (loaded.value && loaded.parsed) {
        services.push(loaded.value);
        parsedByName.set(loaded.value.file, loaded.parsed);
      }
    }),
  );
  services.sort((a, b) => a.name.localeCompare(b.name));
  issues.push(...crossServiceIssues(services, parsedByName));
  return { value: services, issues };
}

export function crossServiceIssues(services: ServiceDefinition[], parsed: Map<string, ParsedYaml>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const firstByPath = new Map<string, ServiceDefinition>();
  const firstByName = new Map<string, ServiceDefinition>();
  const reserved = RESERVED_PATHS;
  for (const svc of services) {
    const at = (field: string) => parsed.get(svc.file)?.locate([field]) ?? {};
    const prevName = firstByName.get(svc.name);
    if (prevName) {
      issues.push({ code: 'E_DUPLICATE_NAME', severity: 'error', file: svc.file, ...at('name'), field: 'name', message: `"${svc.name}" is also defined in ${prevName.file}`, hint: 'keep one file per service' });
    } else firstByName.set(svc.name, svc);
    const prevPath = firstByPath.get(svc.path);
    if (prevPath) {
      issues.push({ code: 'E_DUPLICATE_PATH', severity: 'error', file: svc.file, ...at('path'), field: 'path', message: `"${svc.path}" is already used by ${prevPath.file}`, hint: 'give each service its own path' });
    } else firstByPath.set(svc.path, svc);
    const clash = reserved.find((r) => svc.path === r || svc.path.startsWith(`${r}/`));
    if (clash) {
      issues.push({ code: 'E_RESERVED_PATH', severity: 'error', file: svc.file, ...at('path'), field: 'path', message: `"${svc.path}" is reserved for mcpgw itself (${clash})`, hint: `choose another path, e.g. /${svc.name}` });
    }
  }
  // One path nested inside another would shadow routes (e.g. /a and /a/b).
  for (const a of services) {
    for (const b of services) {
      if (a !== b && b.path.startsWith(`${a.path}/`)) {
        issues.push({ code: 'E_NESTED_PATH', severity: 'error', file: b.file, ...(parsed.get(b.file)?.locate(['path']) ?? {}), field: 'path', message: `"${b.path}" lies inside "${a.path}" of ${a.file}`, hint: 'use sibling paths, not nested ones' });
      }
    }
  }
  return issues;
}

async function loadOptionalYaml<T>(path: string, root: string, schema: ZodType<T, ZodTypeDef, unknown>, hints: HintTable): Promise<LoadResult<T> & { parsed?: ParsedYaml }> {
  const text = (await readOptional(path)) ?? '{}';
  return loadYamlText(relative(root, path) || path, text, schema, hints);
}

export async function loadSettings(paths: ProjectPaths): Promise<LoadResult<Settings>> {
  return loadOptionalYaml(paths.settingsFile, paths.root, settingsSchema, SETTINGS_HINTS);
}

export async function loadScopes(paths: ProjectPaths, services?: ServiceDefinition[]): Promise<LoadResult<ScopesFile>> {
  const result = await loadOptionalYaml(paths.scopesFile, paths.root, scopesFileSchema, SCOPES_HINTS);
  if (!result.value || !result.parsed) return result;
  return { value: result.value, issues: scopeReferenceIssues(result.value, result.parsed, services) };
}

export function scopeReferenceIssues(scopes: ScopesFile, parsed: ParsedYaml, services?: ServiceDefinition[]): ConfigIssue[] {
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

/** Load everything; returns all issues (errors and warnings), sorted, and a project when there are no errors. */
export async function loadProjectChecked(root: string): Promise<{ project?: Project; issues: ConfigIssue[] }> {
  const paths = projectPaths(root);
  const [settings, registry] = await Promise.all([loadSettings(paths), loadRegistry(paths)]);
  const scopes = await loadScopes(paths, registry.value);
  const issues = sortIssues([...settings.issues, ...registry.issues, ...scopes.issues]);
  if (hasErrors(issues) || !settings.value || !registry.value || !scopes.value) return { issues };
  const stateDir = stateDirFor(paths, settings.value);
  return {
    project: { paths, settings: settings.value, services: registry.value, scopes: scopes.value, stateDir, warnings: issues },
    issues,
  };
}

/** Load everything or throw ConfigInvalidError with every problem found. */
export async function loadProject(root: string): Promise<Project> {
  const { project, issues } = await loadProjectChecked(root);
  if (!project) throw new ConfigInvalidError(issues);
  return project;
}
