// Which limits a request spends: the pure core of rate limits, quotas and concurrency caps.
// Data in (policy, service, caller, the calls and how policy decided them), counter charges out.
import { matchesPattern } from '../config/pattern.js';
import { limitWindow, type RateLimit } from '../config/limits.js';
import type { ServiceDefinition } from '../config/service.js';
import type { Identity } from '../identity/identity.js';
import type { McpCall } from '../wire/mcp-request.js';
import { scopesForGroups, type Policy, type PolicyDecision } from './policy.js';

/** How a counter counts: `points` calls per fixed window of `seconds`. */
export interface LimitRule {
  points: number;
  seconds: number;
}

/** One declared limit as it applies to one caller. */
export interface ApplicableLimit {
  /** Names the limit in answers, audit and whoami, e.g. `scope everyday on everything, tool echo`. */
  name: string;
  kind: 'rate' | 'concurrency';
  /** Whose budget: each caller's own, or the upstream's, shared by every caller. */
  per: 'caller' | 'service';
  /** As declared, e.g. `60/min, burst 10` or `2 per 30s lease`. */
  declared: string;
  /** The counter; the same key on every authd node (shared through Redis). */
  key: string;
  rule: LimitRule;
  /** Where it is declared (file and field). */
  source: string;
}

/** A limit and how many calls of this request it counts. */
export interface LimitCharge extends ApplicableLimit {
  points: number;
}

/** How long a tools/call counts as in flight when the service names neither lease nor timeout. */
export const DEFAULT_LEASE_MS = 30_000;

/** Notifications are fire-and-forget (and a session needs them); answers to the server are not calls. */
export function isMetered(call: McpCall): call is McpCall & { method: string } {
  return call.method !== undefined && !call.method.startsWith('notifications/');
}

/** Counter keys hold who (kind and subject), never a token. `|` cannot start a service or scope name. */
function callerKey(identity: Pick<Identity, 'kind' | 'subject'>): string {
  return `${identity.kind}:${identity.subject}`;
}

function rateLimit(base: Omit<ApplicableLimit, 'kind' | 'declared' | 'rule'>, limit: RateLimit): ApplicableLimit | undefined {
  if (!limit.rate) return undefined;
  const window = limitWindow(limit.rate, limit.burst);
  const declared = limit.burst === undefined ? limit.rate.text : `${limit.rate.text}, burst ${limit.burst}`;
  return { name: base.name, kind: 'rate', per: base.per, declared, key: base.key, rule: { points: window.points, seconds: window.seconds }, source: base.source };
}

/** Whether a limits block declares anything to count (most declare nothing: no strings built then). */
function declaresRates(limits: { rate?: unknown; tools: Readonly<Record<string, unknown>> }): boolean {
  if (limits.rate) return true;
  for (const _tool in limits.tools) return true;
  return false;
}

/** Every limit the service declares for this caller: shared rates, per-tool rates, the concurrency cap. */
export function serviceLimits(service: ServiceDefinition, identity: Pick<Identity, 'kind' | 'subject'>): { limit: ApplicableLimit; tool?: string; concurrency?: boolean }[] {
  const out: { limit: ApplicableLimit; tool?: string; concurrency?: boolean }[] = [];
  if (!declaresRates(service.limits) && service.limits.concurrent_per_caller === undefined) return out;
  const where = `${service.file} limits`;
  const whole = rateLimit({ name: `service ${service.name}`, per: 'service', key: `svc|${service.name}`, source: where }, service.limits);
  if (whole) out.push({ limit: whole });
  for (const [tool, limit] of Object.entries(service.limits.tools)) {
    const one = rateLimit({ name: `service ${service.name}, tool ${tool}`, per: 'service', key: `svc|${service.name}|tool|${tool}`, source: `${where}.tools.${tool}` }, limit);
    if (one) out.push({ limit: one, tool });
  }
  const cap = service.limits.concurrent_per_caller;
  if (cap !== undefined) {
    const leaseMs = service.limits.lease ?? service.limits.timeout ?? DEFAULT_LEASE_MS;
    const seconds = Math.max(1, Math.ceil(leaseMs / 1000));
    out.push({
      concurrency: true,
      limit: { name: `service ${service.name}, concurrent calls per caller`, kind: 'concurrency', per: 'caller', declared: `${cap} per ${seconds}s lease`, key: `lease|${service.name}|${callerKey(identity)}`, rule: { points: cap, seconds }, source: `${where}.concurrent_per_caller` },
    });
  }
  return out;
}

/** The limits of one scope's grant (server pattern) on one server, for one caller: each server matched has its own budget. */
export function grantLimits(policy: Policy, scope: string, pattern: string, server: string, identity: Pick<Identity, 'kind' | 'subject'>): { limit: ApplicableLimit; tool?: string }[] {
  const limits = policy.scopes[scope]?.servers[pattern]?.limits;
  if (!limits || !declaresRates(limits)) return [];
  const on = `scope ${scope} on ${server}`;
  const base = `scope|${scope}|${pattern}|${server}`;
  const where = `scopes.yml scopes.${scope}.servers.${pattern}.limits`;
  const out: { limit: ApplicableLimit; tool?: string }[] = [];
  const whole = rateLimit({ name: on, per: 'caller', key: `${base}|${callerKey(identity)}`, source: where }, limits);
  if (whole) out.push({ limit: whole });
  for (const [tool, limit] of Object.entries(limits.tools)) {
    const one = rateLimit({ name: `${on}, tool ${tool}`, per: 'caller', key: `${base}|tool|${tool}|${callerKey(identity)}`, source: `${where}.tools.${tool}` }, limit);
    if (one) out.push({ limit: one, tool });
  }
  return out;
}

export interface LimitRequest {
  policy: Policy;
  service: ServiceDefinition;
  identity: Pick<Identity, 'kind' | 'subject'>;
  /** Every call of the request with its (allowed) decision; a batch is charged as a whole. */
  calls: { call: McpCall; decision: PolicyDecision }[];
}

/**
 * The charges a request makes. A limit without a tool counts every metered call; a tool limit
 * (a name or `*` pattern, one counter per pattern) counts tools/call of matching tools; the
 * concurrency cap counts tools/call. A scope's limits apply to the calls that scope granted.
 */
export function limitCharges(request: LimitRequest): LimitCharge[] {
  const charges = new Map<string, LimitCharge>();
  const charge = (limit: ApplicableLimit) => {
    const id = `${limit.key}\u0000${limit.rule.points}/${limit.rule.seconds}`;
    const seen = charges.get(id);
    if (seen) seen.points++;
    // Object.assign, not `{ ...limit, points: 1 }` (a slow path in V8 on this hot path).
    else charges.set(id, Object.assign({}, limit, { points: 1 }));
  };
  const ofService = serviceLimits(request.service, request.identity);
  for (const { call, decision } of request.calls) {
    if (!isMetered(call) || !decision.allowed) continue;
    const tool = call.method === 'tools/call' ? call.name : undefined;
    const ofScope = decision.pattern ? grantLimits(request.policy, decision.scope, decision.pattern, request.service.name, request.identity) : [];
    for (const entry of [...ofScope, ...ofService]) {
      const applies = 'concurrency' in entry && entry.concurrency ? tool !== undefined : entry.tool === undefined || (tool !== undefined && matchesPattern(entry.tool, tool));
      if (applies) charge(entry.limit);
    }
  }
  return [...charges.values()];
}

/** Every limit that can apply to a caller on each service (for `mcpgw whoami` and the web UI). */
export function callerLimits(policy: Policy, services: Iterable<ServiceDefinition>, identity: Pick<Identity, 'kind' | 'subject' | 'groups'>): (ApplicableLimit & { server: string; tool?: string })[] {
  const out: (ApplicableLimit & { server: string; tool?: string })[] = [];
  const scopes = scopesForGroups(policy, identity.groups);
  for (const service of services) {
    for (const scope of scopes) {
      for (const pattern of Object.keys(policy.scopes[scope]!.servers)) {
        if (!matchesPattern(pattern, service.name)) continue;
        for (const { limit, tool } of grantLimits(policy, scope, pattern, service.name, identity)) out.push({ ...limit, server: service.name, ...(tool ? { tool } : {}) });
      }
    }
    if (!scopes.some((scope) => Object.keys(policy.scopes[scope]!.servers).some((p) => matchesPattern(p, service.name)))) continue;
    for (const { limit, tool } of serviceLimits(service, identity)) out.push({ ...limit, server: service.name, ...(tool ? { tool } : {}) });
  }
  return out;
}

/** One limit as a caller sees it: declared, counted as, and what is left (null: not known now). */
export interface LimitStatus {
  name: string;
  kind: ApplicableLimit['kind'];
  per: ApplicableLimit['per'];
  declared: string;
  server: string;
  tool?: string;
  source: string;
  /** Calls per window and the window in seconds, as counted. */
  limit: number;
  window_s: number;
  remaining: number | null;
  resets_in_s: number | null;
}

export function limitStatus(l: ApplicableLimit & { server: string; tool?: string }, now?: { remaining: number; msBeforeNext: number }): LimitStatus {
  return {
    name: l.name,
    kind: l.kind,
    per: l.per,
    declared: l.declared,
    server: l.server,
    ...(l.tool ? { tool: l.tool } : {}),
    source: l.source,
    limit: l.rule.points,
    window_s: l.rule.seconds,
    remaining: now ? now.remaining : null,
    resets_in_s: now ? Math.ceil(now.msBeforeNext / 1000) : null,
  };
}
