// What one person sees of the registry: the pure core of the UI. Data in (definitions,
// statuses, policy, the person's groups), data out — the same view for the page, the live
// channel and the server's own checks, so a control shown disabled is one the server refuses.
import type { RegistryRight } from '../../core/config/scopes.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { serviceSummary } from '../../core/config/service-summary.js';
import type { Policy } from '../../core/policy/policy.js';
import { mayChange, maySeeService, mayUseService, rightsOf, type Actor } from '../../core/policy/registry-access.js';
import type { ServiceStatus } from '../../control/probe/service-status.js';

/** What a person may do to one service, each naming the registry right it needs. */
export interface ServicePermissions {
  enable: boolean;
  disable: boolean;
  /** Change description, tags, upstream: the `register` right (it rewrites the definition). */
  edit: boolean;
  /** Probe now: the `register` right (RIGHT_FOR.refresh). */
  refresh: boolean;
}

export interface ServiceView {
  name: string;
  path: string;
  description: string;
  tags: string[];
  enabled: boolean;
  transport: string;
  upstreams: string[];
  status: ServiceStatus['status'];
  reason?: string;
  latencyMs?: number;
  checkedAt?: string;
  toolCount?: number;
  withheld: number;
  gated: boolean;
  /** The person holds a grant on this server in scopes.yml (may call it through the gateway). */
  usable: boolean;
  /** A federation peer's service (read-only here): the peer's name. */
  remote?: string;
  /** upstream_auth delegated_oauth: each person connects their own account (the card's Connect button). */
  connect?: boolean;
  may: ServicePermissions;
}

export interface RegistryStats {
  services: number;
  enabled: number;
  healthy: number;
  tools: number;
}

export interface RegistryView {
  services: ServiceView[];
  stats: RegistryStats;
  rights: RegistryRight[];
  /** May register new services. */
  mayRegister: boolean;
}

/** `who`: an actor (the operator sees everything), or a person's groups. */
export function registryView(policy: Policy, who: readonly string[] | Actor, services: readonly ServiceDefinition[], statuses: readonly ServiceStatus[]): RegistryView {
  const person: Actor = 'kind' in who ? who : { kind: 'person', subject: '', groups: who };
  const rights = rightsOf(policy, person);
  const statusOf = new Map(statuses.map((s) => [s.name, s]));
  const views: ServiceView[] = [];
  for (const svc of services) {
    if (!maySeeService(policy, person, svc.name)) continue;
    const usable = mayUseService(policy, person, svc.name);
    const summary = serviceSummary(svc);
    const st = statusOf.get(svc.name);
    views.push({
      name: summary.name,
      path: summary.path,
      description: summary.description,
      tags: summary.tags,
      enabled: summary.enabled,
      transport: summary.transport,
      upstreams: summary.upstreams,
      status: st?.status ?? 'unknown',
      reason: st?.reason,
      latencyMs: st?.latencyMs,
      checkedAt: st?.checkedAt,
      toolCount: st?.toolCount ?? svc.tools?.length,
      withheld: st?.withheld ?? 0,
      gated: st?.gated ?? false,
      usable,
      ...(summary.remote ? { remote: summary.remote } : {}),
      ...(svc.upstream_auth?.mode === 'delegated_oauth' && usable ? { connect: true } : {}),
      // A peer's service is the peer's to change (RegistryService refuses it too).
      may: {
        enable: mayChange(policy, person, 'enable') && !summary.remote,
        disable: mayChange(policy, person, 'disable') && !summary.remote,
        edit: mayChange(policy, person, 'edit') && svc.transport !== 'stdio' && !summary.remote,
        refresh: mayChange(policy, person, 'refresh'),
      },
    });
  }
  return { services: views, stats: registryStats(views), rights, mayRegister: mayChange(policy, person, 'register') };
}

export function registryStats(services: readonly ServiceView[]): RegistryStats {
  return {
    services: services.length,
    enabled: services.filter((s) => s.enabled).length,
    healthy: services.filter((s) => s.enabled && s.status === 'healthy').length,
    tools: services.reduce((n, s) => n + (s.enabled ? (s.toolCount ?? 0) : 0), 0),
  };
}
