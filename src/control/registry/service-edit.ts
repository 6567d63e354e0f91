// Changes to registry.d files that keep what a person wrote: comments, key order and
// formatting survive (yaml Document API). Each runs as a registry transaction: validated before
// it is written, written atomically, under the file's lock (registry-transaction.ts).
import { parseDocument, type Document } from 'yaml';
import { ConfigInvalidError } from '../../core/config/issues.js';
import { loadServiceText, type ProjectPaths } from '../../core/config/project.js';
import { serviceFile, ServiceExistsError, ServiceNotFoundError } from '../../core/config/service-files.js';
import { editRegistry, type CandidateCheck, type FileEdit } from './registry-transaction.js';

/** A change of one existing file's YAML document; the text is refused as a whole when it does not parse. */
export function documentEdit(name: string, mutate: (doc: Document) => void): FileEdit {
  return {
    name,
    next(current, display) {
      if (current === undefined) throw new ServiceNotFoundError(name);
      const doc = parseDocument(current);
      if (doc.errors.length) throw new ConfigInvalidError(loadServiceText(display, current).issues);
      mutate(doc);
      return doc.toString();
    },
  };
}

/** Set `enabled:` (added after the keys a person expects it near when missing). */
export function enabledEdit(name: string, enabled: boolean): FileEdit {
  return documentEdit(name, (doc) => {
    if (doc.get('enabled') === enabled) return;
    if (doc.has('enabled')) doc.set('enabled', enabled);
    else insertAfter(doc, 'enabled', enabled, ['tags', 'description', 'path', 'name']);
  });
}

/** A whole new file; an existing one only with `replace`. */
export function newFileEdit(name: string, text: string, replace = false): FileEdit {
  return {
    name,
    next(current, display) {
      if (current !== undefined && !replace) throw new ServiceExistsError(name, display);
      return text;
    },
  };
}

export function removalEdit(name: string): FileEdit {
  return {
    name,
    next(current) {
      if (current === undefined) throw new ServiceNotFoundError(name);
      return null;
    },
  };
}

/** Apply `mutate` to a service's YAML document; returns whether the file changed. */
export async function editService(paths: ProjectPaths, name: string, mutate: (doc: Document) => void, check?: CandidateCheck): Promise<boolean> {
  const [result] = await editRegistry(paths, [documentEdit(name, mutate)], check);
  return result!.changed;
}

export async function setServiceEnabled(paths: ProjectPaths, name: string, enabled: boolean): Promise<boolean> {
  const [result] = await editRegistry(paths, [enabledEdit(name, enabled)]);
  return result!.changed;
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

/** Write a new service file (or replace one with `force`), validated first; returns its path. */
export async function writeService(paths: ProjectPaths, name: string, text: string, force = false): Promise<string> {
  await editRegistry(paths, [newFileEdit(name, text, force)]);
  return serviceFile(paths, name);
}

export async function removeService(paths: ProjectPaths, name: string): Promise<string> {
  const file = await serviceFile(paths, name);
  await editRegistry(paths, [removalEdit(name)]);
  return file;
}

/** enable/disable several services in one transaction: a name that does not exist changes nothing. */
export async function setServicesEnabled(paths: ProjectPaths, names: readonly string[], enabled: boolean): Promise<{ service: string; changed: boolean }[]> {
  const results = await editRegistry(paths, [...new Set(names)].map((name) => enabledEdit(name, enabled)));
  return results.map((r) => ({ service: r.service, changed: r.changed }));
}
