// Keeps a running probe loop in step with registry.d: a service registered, edited, enabled or
// removed while the gateway runs is probed (or dropped) without a restart.
import { watch } from 'node:fs';
import { loadProjectChecked, type ProjectPaths } from '../../core/config/project.js';
import { formatIssue } from '../../core/config/issues.js';
import type { ProbeLoop } from './probe-loop.js';

/** Editors and `mcpgw register` write in several steps; reload once they are done. */
const SETTLE_MS = 300;

/**
 * Watch registry.d and hand each valid reload to the loop. An invalid edit keeps the
 * last good services (and is reported through `onInvalid`). Returns a function that stops watching.
 */
export function followRegistry(loop: ProbeLoop, paths: ProjectPaths, onInvalid?: (messages: string[]) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const reload = async () => {
    const { project, issues } = await loadProjectChecked(paths.root);
    if (project) loop.update(project);
    else onInvalid?.(issues.filter((i) => i.severity === 'error').map(formatIssue));
  };
  let watcher: ReturnType<typeof watch> | undefined;
  try {
    watcher = watch(paths.registryDir, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload().catch((err: Error) => onInvalid?.([err.message])), SETTLE_MS);
    });
  } catch {
    return () => {}; // no registry.d: nothing to follow
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
