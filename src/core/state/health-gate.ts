// `health.gate: true` withholds a failing service until it recovers. Pure: authd asks, per
// request, over the current health.json (and `mcpgw status` shows it).
import type { ServiceDefinition } from '../config/service.js';
import type { HealthFile, HealthStatus } from './snapshots.js';

/**
 * Statuses that withhold a gated route. `auth-required` is not among them: the server answered,
 * and many servers expect the agent's own credentials, which the probe does not have. A service
 * never checked is not withheld either, so a fresh gateway serves before its first probe.
 */
const GATED_STATUSES: ReadonlySet<HealthStatus> = new Set(['unhealthy', 'timeout']);

export function gatedServices(project: { services: readonly ServiceDefinition[] }, health: HealthFile): Set<string> {
  const names = project.services
    .filter((s) => s.enabled && s.health.enabled && s.health.gate)
    .filter((s) => {
      const status = health[s.name]?.status;
      return status !== undefined && GATED_STATUSES.has(status);
    })
    .map((s) => s.name);
  return new Set(names);
}
