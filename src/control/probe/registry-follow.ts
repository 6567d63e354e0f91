// Keeps a running probe loop in step with registry.d: a service registered, edited, enabled or
// removed while the gateway runs is probed (or dropped) without a restart. The files are
// followed by the process's one project watcher (core/config/current-project).
import { CurrentProject } from '../../core/config/current-project.js';
import { formatIssue } from '../../core/config/issues.js';
import type { ProjectPaths } from '../../core/config/project.js';
import type { ProbeLoop } from './probe-loop.js';

/**
 * Hand each valid reload to the loop. An invalid edit keeps the last good services (and is
 * reported through `onInvalid`). Returns a function that stops following.
 */
export async function followRegistry(loop: ProbeLoop, paths: ProjectPaths, onInvalid?: (messages: string[]) => void): Promise<() => void> {
  const files = await CurrentProject.open(paths.root);
  files.onChange((project) => loop.update(project));
  files.onInvalid((issues) => onInvalid?.(issues.filter((i) => i.severity === 'error').map(formatIssue)));
  return () => files.close();
}
