// What `mcpgw status` (and the web UI) show: each service with its last health and tools, and
// the gateway's managed processes when `mcpgw up` runs.
import type { Project } from '../../core/config/project.js';
import { stateLayout } from '../../core/state/layout.js';
import { readHealth, type HealthFile, type HealthStatus } from '../../core/state/snapshots.js';
import { gatedServices } from '../../core/state/health-gate.js';
import { readGatewayProcesses, type ManagedProcess } from '../../core/state/health-gateway-processes.js';
import { usableTools } from '../../core/state/tool-approvals.js';

export interface ServiceStatus {
  name: string;
  enabled: boolean;
  status: HealthStatus;
  reason?: string;
  toolCount?: number;
  /** Tools waiting for `mcpgw tools approve` (pinned services only). */
  withheld: number;
  latencyMs?: number;
  checkedAt?: string;
  /** authd withholds the service (`health.gate` and failing): it answers 503 service_unhealthy. */
  gated: boolean;
}

export interface GatewayStatus {
  services: ServiceStatus[];
  /** The managed processes, or undefined when `mcpgw up` is not running. */
  processes?: ManagedProcess[];
}

/** Pure: join the definitions with their recorded health. */
export function serviceStatuses(project: Pick<Project, 'services'>, health: HealthFile, withheld: ReadonlyMap<string, number> = new Map()): ServiceStatus[] {
  const gated = gatedServices(project, health);
  return project.services.map((svc) => {
    const h = health[svc.name];
    return {
      name: svc.name,
      enabled: svc.enabled,
      status: h?.status ?? 'unknown',
      reason: h?.reason,
      toolCount: h?.toolCount,
      withheld: withheld.get(svc.name) ?? 0,
      latencyMs: h?.latencyMs,
      checkedAt: h?.checkedAt,
      gated: gated.has(svc.name),
    };
  });
}

export async function gatewayStatus(project: Project): Promise<GatewayStatus> {
  const layout = stateLayout(project.stateDir);
  const pinned = project.services.filter((s) => s.pin_tools);
  const [health, processes, usable] = await Promise.all([
    readHealth(layout),
    readGatewayProcesses(layout),
    Promise.all(pinned.map(async (s) => [s.name, (await usableTools(layout, s)).withheld.length] as const)),
  ]);
  return { services: serviceStatuses(project, health, new Map(usable)), processes };
}
