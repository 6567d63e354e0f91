// `health.gate: true` in a running gateway: when the set of withheld routes changes with a
// service's health, apply again so Caddy stops (or resumes) routing to it.
import type { Project } from '../config/project.js';
import type { ProbeLoop } from '../probe/probe-loop.js';
import { gatedServices } from '../probe/gate.js';
import { readHealth } from '../state/snapshots.js';
import { stateLayout } from '../state/layout.js';
import { applyProject } from '../caddy/apply.js';

const key = (names: Set<string>) => [...names].sort().join(',');

/** Re-apply on gate changes; returns a function that stops following. */
export function applyOnGateChange(loop: ProbeLoop, log: (line: string) => void): () => void {
  let applied = '';
  let pending: Promise<void> = Promise.resolve();
  const check = () => {
    // One apply at a time, each against the latest health and definitions.
    pending = pending.then(async () => {
      const project: Project = loop.currentProject;
      if (!project.services.some((s) => s.health.gate)) return;
      const gated = gatedServices(project, await readHealth(stateLayout(project.stateDir)));
      if (key(gated) === applied) return;
      const report = await applyProject(project);
      const failed = report.results.find((r) => r.error);
      if (failed?.error) return log(`health gate: apply failed — ${failed.error.message}`);
      applied = key(gated);
      log(`health gate: routes withheld now: ${applied || 'none'}`);
    }).catch((err: Error) => log(`health gate: ${err.message}`));
  };
  loop.on('health-change', check);
  return () => loop.off('health-change', check);
}
