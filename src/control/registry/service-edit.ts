// Changes to registry.d files that keep what a person wrote: comments, key order and
// formatting survive (yaml Document API). Every change is validated before it is written,
// written atomically, and made under a per-file lock so concurrent editors lose nothing.
import { access, readFile, unlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { editFileLocked, withFileLock, writeFileAtomic } from '../../core/config/atomic-file.js';
import { ConfigInvalidError, hasErrors, sortIssues, type ConfigIssue } from '../../core/config/issues.js';
import { crossServiceIssues, loadRegistry, loadServiceText, type ProjectPaths } from '../../core/config/project.js';
import { SERVICE_NAME, type ServiceDefinition } from '../../core/config/service.js';
import type { ParsedYaml } from '../../core/config/yaml-document.js';

export class ServiceNotFoundError extends Error {
  readonly code = 'ERR_SERVICE_NOT_FOUND';
  constructor(readonly service: string) {
    super(`no service "${service}" in registry.d — see \`mcpgw list\``);
    this.name = 'ServiceNotFoundError';
  }
}

export class ServiceExistsError extends Error {
  readonly code = 'ERR_SERVICE_EXISTS';
  constructor(readonly service: string, readonly file: string) {
    super(`${file} already exists — pass --force to overwrite it`);
    this.name = 'ServiceExistsError';
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** The file of a service: registry.d/<name>.yaml, or .yml when that is what exists. */
export async function serviceFile(paths: ProjectPaths, name: string): Promise<string> {
  if (!SERVICE_NAME.test(name)) throw new ServiceNotFoundError(name);
  const yml = join(paths.registryDir, `${name}.yml`);
  return (await exists(yml)) ? yml : join(paths.registryDir, `${name}.yaml`);
}

/** Validate a candidate text for one service file, alone and together with the other files. */
async function candidateIssues(paths: ProjectPaths, file: string, text: string): Promise<ConfigIssue[]> {
  const display = relative(paths.root, file);
  const loaded = loadServiceText(display, text);
  if (!loaded.value || !loaded.parsed) return loaded.issues;
  const registry = await loadRegistry(paths);
  const others = (registry.value ?? []).filter((s) => s.file !== display);
  const parsed = new Map<string, ParsedYaml>([[display, loaded.parsed]]);
  const cross = crossServiceIssues([...others, loaded.value], parsed).filter((i) => i.file === display);
  return sortIssues([...loaded.issues, ...cross]);
}

async function checked(paths: ProjectPaths, file: string, text: string): Promise<string> {
  const issues = await candidateIssues(paths, file, text);
  if (hasErrors(issues)) throw new ConfigInvalidError(issues);
  return text;
}

/** Apply `mutate` to a service's YAML document; returns whether the file changed. */
export async function editService(paths: ProjectPaths, name: string, mutate: (doc: Document) => void): Promise<boolean> {
  const file = await serviceFile(paths, name);
  if (!(await exists(file))) throw new ServiceNotFoundError(name);
  return editFileLocked(file, async (text) => {
    const doc = parseDocument(text);
    if (doc.errors.length) throw new ConfigInvalidError((await candidateIssues(paths, file, text)));
    mutate(doc);
    const next = doc.toString();
    return next === text ? undefined : checked(paths, file, next);
  });
}

export function setServiceEnabled(paths: ProjectPaths, name: string, enabled: boolean): Promise<boolean> {
  return editService(paths, name, (doc) => {
    if (doc.get('enabled') === enabled) return;
    if (doc.has('enabled')) doc.set('enabled', enabled);
    else insertAfter(doc, 'enabled', enabled, ['tags', 'description', 'path', 'name']);
  });
}

/** Insert a key after the first of `after` present, so new keys land where a person expects. */
function insertAfter(doc: Document, key: string, value: unknown, after: string[]): void {
  const map = doc.contents as { items?: { key: unknown }[] } | null;
  doc.set(key, value);
  if (!map?.items) return;
  const items = map.items;
  const added = items.pop()!;
  const keyOf = (i: { key: unknown }) => String((i.key as { value?: unknown })?.value ?? i.key);
  const anchor = after.map((a) => items.findIndex((i) => keyOf(i) === a)).find((i) => i >= 0);
  items.splice(anchor === undefined ? items.length : anchor + 1, 0, added);
}

/** Write a new service file (or replace one with `force`), validated first. */
export async function writeService(paths: ProjectPaths, name: string, text: string, force = false): Promise<string> {
  const file = await serviceFile(paths, name);
  return withFileLock(file, async () => {
    if (!force && (await exists(file))) throw new ServiceExistsError(name, relative(paths.root, file));
    await writeFileAtomic(file, await checked(paths, file, text));
    return file;
  });
}

export async function removeService(paths: ProjectPaths, name: string): Promise<string> {
  const file = await serviceFile(paths, name);
  return withFileLock(file, async () => {
    if (!(await exists(file))) throw new ServiceNotFoundError(name);
    await unlink(file);
    return file;
  });
}

export async function readServiceText(paths: ProjectPaths, name: string): Promise<string> {
  const file = await serviceFile(paths, name);
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new ServiceNotFoundError(name);
  }
}

export type { ServiceDefinition };
