// The catalogue as a caller may see it: services (definitions without secret values), their
// health and the tools they may call, each with the URL to call it through the gateway.
import type { Project } from '../../core/config/project.js';
import type { ServiceDefinition, ToolDefinition } from '../../core/config/service.js';
import type { RegistryService } from '../../control/registry/registry-service.js';
import { gatewayEndpoint, serviceSummary, type ServiceSummary } from '../../core/config/service-summary.js';
import { publicUrl } from '../../core/config/settings.js';
import { stateLayout } from '../../core/state/layout.js';
import { readHealth, type ServiceHealth } from '../../core/state/snapshots.js';
import { usableTools } from '../../core/state/tool-approvals.js';
import type { Caller } from './caller.js';

export interface ToolView {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export interface HealthView {
  status: ServiceHealth['status'];
  reason?: string;
  checkedAt?: string;
  latencyMs?: number;
  toolCount?: number;
}

/** `file` and header values stay out: `headers` lists only names (values are secrets by reference). */
export type ServiceView = Omit<ServiceSummary, 'file'> & {
  /** Where an MCP client connects for this service, through the gateway. */
  url: string;
  health: HealthView;
  tools?: ToolView[];
};

export interface ServiceFilter {
  /** Words that must all appear in the name, description or tags (case-insensitive). */
  text?: string;
  tags?: string[];
  enabled?: boolean;
}

export function healthView(health: ServiceHealth | undefined): HealthView {
  if (!health) return { status: 'unknown', reason: 'not probed yet' };
  const { status, reason, checkedAt, latencyMs, toolCount } = health;
  return { status, reason, checkedAt, latencyMs, toolCount };
}

export function toolView(tool: ToolDefinition): ToolView {
  const { name, title, description, inputSchema, annotations } = tool;
  return { name, title, description, inputSchema, annotations };
}

export function serviceView(project: Project, svc: ServiceDefinition, health: ServiceHealth | undefined, tools?: ToolView[]): ServiceView {
  const { file: _file, ...summary } = serviceSummary(svc);
  return { ...summary, url: gatewayEndpoint(publicUrl(project.settings), svc), health: healthView(health), ...(tools ? { tools } : {}) };
}

/** Pure: does a service pass the filter? */
export function matchesFilter(svc: ServiceDefinition, filter: ServiceFilter = {}): boolean {
  if (filter.enabled !== undefined && svc.enabled !== filter.enabled) return false;
  if (filter.tags?.length && !filter.tags.every((t) => svc.tags.includes(t))) return false;
  const haystack = [svc.name, svc.description, ...svc.tags].join(' ').toLowerCase();
  return (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean).every((word) => haystack.includes(word));
}

/** The tools of a service the caller may call (pinned services: approved tools only). */
export async function callableTools(registry: RegistryService, caller: Caller, svc: ServiceDefinition): Promise<ToolView[]> {
  const { tools } = await usableTools(stateLayout(registry.project.stateDir), svc);
  return tools.filter((t) => registry.mayCallTool(caller, svc.name, t.name)).map(toolView);
}

export async function listServices(registry: RegistryService, caller: Caller, filter?: ServiceFilter): Promise<ServiceView[]> {
  const { project } = registry;
  const health = await readHealth(stateLayout(project.stateDir));
  return registry
    .visibleServices(caller)
    .filter((s) => matchesFilter(s, filter))
    .map((s) => serviceView(project, s, health[s.name]));
}

export async function getService(registry: RegistryService, caller: Caller, name: string): Promise<ServiceView> {
  const svc = registry.visibleService(caller, name);
  const health = await readHealth(stateLayout(registry.project.stateDir));
  return serviceView(registry.project, svc, health[svc.name], await callableTools(registry, caller, svc));
}

export async function healthReport(registry: RegistryService, caller: Caller, name?: string): Promise<{ name: string; enabled: boolean; url: string; health: HealthView }[]> {
  const { project } = registry;
  const services = name ? [registry.visibleService(caller, name)] : registry.visibleServices(caller);
  const health = await readHealth(stateLayout(project.stateDir));
  return services.map((s) => ({ name: s.name, enabled: s.enabled, url: gatewayEndpoint(publicUrl(project.settings), s), health: healthView(health[s.name]) }));
}
