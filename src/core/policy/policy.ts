// Policy evaluation: the pure core that authd, the search filter, the registry MCP server and
// the web UI all share. Data in, decision out; no I/O. Anything not granted is denied.
import { matchesAny, matchesPattern } from '../config/pattern.js';
import { ownValue } from '../config/own-record.js';
import { REGISTRY_RIGHTS, type RegistryRight, type ScopesFile, type ServerGrant } from '../config/scopes.js';
import type { Identity } from '../identity/identity.js';

/** The policy is scopes.yml as validated; kept as its own name so callers do not depend on the file. */
export type Policy = ScopesFile;

/** One thing asked of one server. `method` absent: a request without a JSON-RPC call (GET stream, DELETE, a response). */
export interface PolicyRequest {
  server: string;
  method?: string;
  /** Tool name (tools/call), prompt name (prompts/get) or resource URI (resources/read …). */
  name?: string;
  /** 2026-07-28 Mcp-Param-* values (decoded) by lower-case name; a grant with `params:` checks them. */
  params?: Readonly<Record<string, string>>;
  /**
   * The request is 2026-07-28, whose servers must refuse Mcp-Param-* headers that disagree with
   * the body: only then are the headers a basis for a decision (spec 2026-07-28, Server Validation).
   */
  paramsChecked?: boolean;
}

/** Methods whose target is named, and which list of a grant names the allowed targets. */
// Null prototype: the method comes from the request, and `constructor` must find nothing here.
export const NAMED_METHODS: Readonly<Record<string, 'tools' | 'prompts' | 'resources'>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, 'tools' | 'prompts' | 'resources'>, {
    'tools/call': 'tools',
    'prompts/get': 'prompts',
    'resources/read': 'resources',
    'resources/subscribe': 'resources',
    'resources/unsubscribe': 'resources',
  }),
);

export type PolicyDecision =
  | { allowed: true; /** The scope that granted it. */ scope: string; /** Its server pattern that granted it (absent: admitted by registry rights). */ pattern?: string; reason: string }
  | { allowed: false; reason: string; /** The right that would have allowed it, e.g. `tools/call everything:add`. */ missing: string };

/** Scope names the groups map to, in scopes.yml order, without repeats. */
export function scopesForGroups(policy: Policy, groups: readonly string[]): string[] {
  const names: string[] = [];
  // Own keys only (scopes.yml parses into null-prototype maps; Object.hasOwn keeps it so for
  // hand-built policies): a group called `constructor` or `__proto__` is just a name.
  // An array, not a Set: a caller has a few scopes, and this runs for every decision.
  for (const group of groups) for (const scope of ownValue(policy.groups, group) ?? []) if (ownValue(policy.scopes, scope) && !names.includes(scope)) names.push(scope);
  return names;
}

/** The identity with its scopes computed from the current policy. */
export function withScopes<T extends Identity>(identity: T, policy: Policy): T {
  return { ...identity, scopes: scopesForGroups(policy, identity.groups) };
}

interface ScopedGrant {
  scope: string;
  pattern: string;
  grant: ServerGrant;
}

function grantsFor(policy: Policy, groups: readonly string[], server: string): ScopedGrant[] {
  const out: ScopedGrant[] = [];
  for (const scope of scopesForGroups(policy, groups)) {
    const servers = policy.scopes[scope]!.servers;
    // Own keys in order, like Object.entries, without its pair arrays.
    for (const pattern of Object.keys(servers)) {
      if (matchesPattern(pattern, server)) out.push({ scope, pattern, grant: servers[pattern]! });
    }
  }
  return out;
}

/** The grants whose `list` (methods, tools, prompts, resources) matches `value`, in order. */
function grantsMatching(grants: readonly ScopedGrant[], list: 'methods' | 'tools' | 'prompts' | 'resources', value: string): ScopedGrant[] {
  const out: ScopedGrant[] = [];
  for (const g of grants) if (matchesAny(g.grant[list], value)) out.push(g);
  return out;
}

function describeRight(request: PolicyRequest): string {
  if (!request.method) return `access to server ${request.server}`;
  return request.name !== undefined ? `${request.method} ${request.server}:${request.name}` : `${request.method} on ${request.server}`;
}

/** Decide one request for groups. A single grant must allow both the method and its target. */
export function decideForGroups(policy: Policy, groups: readonly string[], request: PolicyRequest): PolicyDecision {
  const missing = describeRight(request);
  const grants = grantsFor(policy, groups, request.server);
  if (grants.length === 0) {
    return { allowed: false, missing, reason: `no scope of groups [${groups.join(', ')}] grants server "${request.server}"` };
  }
  if (!request.method) {
    return { allowed: true, scope: grants[0]!.scope, pattern: grants[0]!.pattern, reason: `scope ${grants[0]!.scope} grants server ${request.server}` };
  }
  const list = NAMED_METHODS[request.method];
  if (list && request.name === undefined) {
    return { allowed: false, missing, reason: `${request.method} names no target` };
  }
  const methodGranted = grantsMatching(grants, 'methods', request.method);
  if (methodGranted.length === 0) {
    return { allowed: false, missing, reason: `method ${request.method} is not granted on server "${request.server}"` };
  }
  if (!list) {
    return { allowed: true, scope: methodGranted[0]!.scope, pattern: methodGranted[0]!.pattern, reason: `scope ${methodGranted[0]!.scope} grants ${request.method}` };
  }
  const named = grantsMatching(methodGranted, list, request.name!);
  if (named.length === 0) {
    const kind = list === 'tools' ? 'tool' : list === 'prompts' ? 'prompt' : 'resource';
    return { allowed: false, missing, reason: `${kind} "${request.name}" is not granted on server "${request.server}"` };
  }
  const granted = request.method === 'tools/call' ? named.find((g) => paramsProblem(g.grant, request) === undefined) : named[0];
  if (!granted) return { allowed: false, missing, reason: paramsProblem(named[0]!.grant, request)! };
  return { allowed: true, scope: granted.scope, pattern: granted.pattern, reason: `scope ${granted.scope} grants ${describeRight(request)}` };
}

/** Why a grant's `params:` refuse this tools/call, or undefined when it has none or they all match. */
function paramsProblem(grant: ServerGrant, request: PolicyRequest): string | undefined {
  if (!grant.params) return undefined;
  for (const [name, allowed] of Object.entries(grant.params)) {
    if (!request.paramsChecked) return `Mcp-Param-${name} is constrained: only 2026-07-28 requests (whose headers servers check against the body) may call it`;
    const value = request.params?.[name.toLowerCase()];
    if (value === undefined) return `Mcp-Param-${name} is constrained and the request does not carry it`;
    if (!matchesAny(allowed, value)) return `Mcp-Param-${name} "${value}" is not granted on server "${request.server}"`;
  }
  return undefined;
}

/**
 * The groups whose scopes would allow `request` — what a caller refused for a missing grant
 * must obtain (the `scope` of an RFC 6750 insufficient_scope challenge), in scopes.yml order.
 */
export function groupsGranting(policy: Policy, request: PolicyRequest): string[] {
  return Object.keys(policy.groups).filter((group) => decide(policy, { groups: [group] }, request).allowed);
}

/** The registry MCP server's name for authd and in scopes.yml (Caddy mounts it at /mcpgw). */
export const REGISTRY_SERVER = 'mcpgw';

/**
 * The registry server admits anyone granted server `mcpgw` in scopes.yml or holding any registry
 * right: it shows each caller only what they may use and checks every change against the
 * caller's registry rights itself, so authd need not know its tools.
 */
export function decideRegistryServer(policy: Policy, groups: readonly string[], request: PolicyRequest): PolicyDecision {
  const explicit = decideForGroups(policy, groups, request);
  if (explicit.allowed) return explicit;
  const scope = scopesForGroups(policy, groups).find((name) => policy.scopes[name]!.registry.rights.length > 0);
  if (!scope) return explicit;
  return { allowed: true, scope, reason: `scope ${scope} holds registry rights, which admit the registry server` };
}

export function decide(policy: Policy, identity: Pick<Identity, 'groups'>, request: PolicyRequest): PolicyDecision {
  if (request.server === REGISTRY_SERVER) return decideRegistryServer(policy, identity.groups, request);
  return decideForGroups(policy, identity.groups, request);
}

/** May these groups call this tool on this server? (The search engine filters results with it.) */
export function isToolAllowed(policy: Policy, groups: readonly string[], server: string, tool: string): boolean {
  return decideForGroups(policy, groups, { server, method: 'tools/call', name: tool }).allowed;
}

/** Registry rights (list, register, enable, disable, remove) the groups hold, in canonical order. */
export function registryRights(policy: Policy, groups: readonly string[]): RegistryRight[] {
  const held = new Set<RegistryRight>();
  for (const scope of scopesForGroups(policy, groups)) for (const right of policy.scopes[scope]!.registry.rights) held.add(right);
  return REGISTRY_RIGHTS.filter((r) => held.has(r));
}

export function hasRegistryRight(policy: Policy, groups: readonly string[], right: RegistryRight): boolean {
  return registryRights(policy, groups).includes(right);
}

/** What the groups may do, server pattern by server pattern (for `mcpgw whoami`). */
export function serverGrants(policy: Policy, groups: readonly string[]): { scope: string; server: string; grant: ServerGrant }[] {
  return scopesForGroups(policy, groups).flatMap((scope) =>
    Object.entries(policy.scopes[scope]!.servers).map(([server, grant]) => ({ scope, server, grant })),
  );
}
