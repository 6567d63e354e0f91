// One registry.d change as a transaction: every file it names is locked, every new text is
// computed and validated (alone and together with the rest of registry.d) and the caller's
// checks run before anything is written — `disable weather nope` writes nothing. Then the files
// are written by atomic rename, under their locks, so concurrent editors lose no update.
import { unlink } from 'node:fs/promises';
import { relative } from 'node:path';
import { withFileLock, writeFileAtomic } from '../../core/config/atomic-file.js';
import { ConfigInvalidError, hasErrors, sortIssues, type ConfigIssue } from '../../core/config/issues.js';
import { crossServiceIssues, loadRegistry, loadServiceText, readOptional, routedSseEndpoints, type ProjectPaths } from '../../core/config/project.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { ParsedYaml } from '../../core/config/yaml-document.js';
import { serviceFile, ServiceNotFoundError } from '../../core/config/service-files.js';

export interface FileEdit {
  /** The service (and so the file: registry.d/<name>.yaml). */
  name: string;
  /**
   * The file's next text from its current one (`undefined`: there is no file). `null` deletes
   * it; the same text changes nothing. Throw ServiceNotFoundError / ServiceExistsError to refuse.
   */
  next(current: string | undefined, display: string): string | null;
}

export interface EditResult {
  service: string;
  /** The file, relative to the checkout. */
  file: string;
  changed: boolean;
  removed: boolean;
}

/** One changed service: its definition before and after (absent: created / removed). */
export interface CandidateChange {
  name: string;
  before?: ServiceDefinition;
  after?: ServiceDefinition;
}

/** Runs after validation, before writing: throw to refuse (rights, registration policy). */
export type CandidateCheck = (changes: CandidateChange[], candidates: ServiceDefinition[]) => void | Promise<void>;

/** Hold every lock (in a fixed order, so two transactions cannot wait on each other). */
async function withLocks<T>(files: string[], fn: () => Promise<T>): Promise<T> {
  const [first, ...rest] = [...new Set(files)].sort();
  if (first === undefined) return fn();
  return withFileLock(first, () => withLocks(rest, fn));
}

interface Planned {
  name: string;
  file: string;
  display: string;
  current?: string;
  next: string | null;
}

function changedPlans(plans: Planned[]): Planned[] {
  return plans.filter((p) => p.next !== (p.current ?? null));
}

/** Every problem of the new texts, alone and against the services that stay. */
async function candidatesOf(paths: ProjectPaths, plans: Planned[]): Promise<{ issues: ConfigIssue[]; changes: CandidateChange[]; candidates: ServiceDefinition[] }> {
  const sseEndpoints = await routedSseEndpoints(paths);
  const registry = await loadRegistry(paths, sseEndpoints);
  const touched = new Set(plans.map((p) => p.display));
  const staying = (registry.value ?? []).filter((s) => !touched.has(s.file));
  const issues: ConfigIssue[] = [];
  const parsed = new Map<string, ParsedYaml>();
  const changes: CandidateChange[] = [];
  const written: ServiceDefinition[] = [];
  for (const plan of plans) {
    const before = registry.value?.find((s) => s.file === plan.display);
    if (plan.next === null) {
      changes.push({ name: plan.name, before });
      continue;
    }
    const loaded = loadServiceText(plan.display, plan.next);
    issues.push(...loaded.issues);
    if (loaded.value && loaded.parsed) {
      parsed.set(plan.display, loaded.parsed);
      written.push(loaded.value);
      changes.push({ name: plan.name, before, after: loaded.value });
    }
  }
  const candidates = [...staying, ...written];
  issues.push(...crossServiceIssues(candidates, parsed, sseEndpoints).filter((i) => touched.has(i.file)));
  return { issues: sortIssues(issues), changes, candidates };
}

export async function editRegistry(paths: ProjectPaths, edits: readonly FileEdit[], check?: CandidateCheck): Promise<EditResult[]> {
  const names = edits.map((e) => e.name);
  if (new Set(names).size !== names.length) throw new Error(`a registry change names a service twice: ${names.join(', ')}`);
  const files = await Promise.all(edits.map((e) => serviceFile(paths, e.name)));
  return withLocks(files, async () => {
    const plans: Planned[] = [];
    const missing: string[] = [];
    for (const [i, edit] of edits.entries()) {
      const file = files[i]!;
      const display = relative(paths.root, file);
      const current = await readOptional(file);
      try {
        plans.push({ name: edit.name, file, display, current, next: edit.next(current, display) });
      } catch (err) {
        if (!(err instanceof ServiceNotFoundError)) throw err;
        missing.push(edit.name);
      }
    }
    if (missing.length) throw new ServiceNotFoundError(missing.join('", "'));
    const changed = changedPlans(plans);
    if (changed.length) {
      const { issues, changes, candidates } = await candidatesOf(paths, changed);
      if (hasErrors(issues)) throw new ConfigInvalidError(issues);
      await check?.(changes, candidates);
      for (const plan of changed) {
        if (plan.next === null) await unlink(plan.file);
        else await writeFileAtomic(plan.file, plan.next);
      }
    }
    return plans.map((p) => ({ service: p.name, file: p.display, changed: changed.includes(p), removed: p.next === null && p.current !== undefined }));
  });
}
