// `mcpgw probe`: check many services in parallel with a bound, then record the results.
import type { Project } from '../../core/config/project.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { ServiceNotFoundError } from '../../core/config/service-files.js';
import { stateLayout } from '../../core/state/layout.js';
import { mapBounded } from './bounded.js';
import { recordProbes, type RecordedProbe } from './record-probe.js';

import { DEFAULT_CONCURRENCY } from './probe-defaults.js';

export { DEFAULT_CONCURRENCY };

export interface ProbeRunOptions {
  /** Checks in flight at once (default 16). */
  concurrency?: number;
  /** Overrides every service's `health.timeout`. */
  timeoutMs?: number;
  /** Environment for `${env:…}` references and stdio children (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The services a probe covers: the named ones (even if disabled), else every enabled one. */
export function selectServices(project: Project, names: readonly string[] = []): ServiceDefinition[] {
  if (names.length === 0) return project.services.filter((s) => s.enabled);
  return names.map((name) => {
    const svc = project.services.find((s) => s.name === name);
    if (!svc) throw new ServiceNotFoundError(name);
    return svc;
  });
}

export async function probeServices(project: Project, services: ServiceDefinition[], options: ProbeRunOptions = {}): Promise<RecordedProbe[]> {
  // Loaded here, not at the top: the MCP SDK is only needed when a probe really runs.
  const { probeService } = await import('./probe-service.js');
  const outcomes = await mapBounded(services, options.concurrency ?? DEFAULT_CONCURRENCY, (svc) =>
    probeService(svc, { baseDir: project.paths.root, env: options.env, timeoutMs: options.timeoutMs }),
  );
  return recordProbes(stateLayout(project.stateDir), services, outcomes);
}

export function allHealthy(results: readonly RecordedProbe[]): boolean {
  return results.every((r) => r.health.status === 'healthy');
}
