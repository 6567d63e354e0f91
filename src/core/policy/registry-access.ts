// Who may see and change what in the registry: one rule for every front door (CLI, web UI,
// registry MCP server) and for search. Pure: the policy (scopes.yml) and the actor in, a
// decision out. The local operator (CLI, `mcpgw serve` over stdio) owns the files and holds
// every right.
import { REGISTRY_RIGHTS, type RegistryRight } from '../config/scopes.js';
import { decideForGroups, isToolAllowed, registryRights, type Policy } from './policy.js';

/** Who asks: the local operator, or an identity authd (or the web UI's sign-in) vouched for. */
export type Actor = { kind: 'operator'; subject: string } | { kind: 'agent' | 'person'; subject: string; groups: readonly string[] };

export const LOCAL_OPERATOR: Actor = { kind: 'operator', subject: 'local operator' };

/** The registry change, and the right each needs. */
export type RegistryChange = 'register' | 'edit' | 'enable' | 'disable' | 'remove' | 'refresh';

/**
 * Editing a definition rewrites it, so it needs `register`. Refreshing (probe now) also needs
 * `register`: a probe connects to the upstream with the gateway's own credentials and rewrites
 * the tools the registry records, so seeing a service is not enough (least rights).
 */
export const RIGHT_FOR: Readonly<Record<RegistryChange, RegistryRight>> = {
  register: 'register',
  edit: 'register',
  enable: 'enable',
  disable: 'disable',
  remove: 'remove',
  refresh: 'register',
};

export function rightsOf(policy: Policy, actor: Actor): RegistryRight[] {
  return actor.kind === 'operator' ? [...REGISTRY_RIGHTS] : registryRights(policy, actor.groups);
}

export function holdsRight(policy: Policy, actor: Actor, right: RegistryRight): boolean {
  return rightsOf(policy, actor).includes(right);
}

export function mayChange(policy: Policy, actor: Actor, change: RegistryChange): boolean {
  return holdsRight(policy, actor, RIGHT_FOR[change]);
}

/** May the actor use the server through the gateway at all (any grant on it)? */
export function mayUseService(policy: Policy, actor: Actor, service: string): boolean {
  return actor.kind === 'operator' || decideForGroups(policy, actor.groups, { server: service }).allowed;
}

/** A service is shown to holders of the `list` right and to anyone granted something on it. */
export function maySeeService(policy: Policy, actor: Actor, service: string): boolean {
  return holdsRight(policy, actor, 'list') || mayUseService(policy, actor, service);
}

/** May the actor call this tool? (authd decides for real; this decides what is shown.) */
export function mayCallTool(policy: Policy, actor: Actor, server: string, tool: string): boolean {
  return actor.kind === 'operator' || isToolAllowed(policy, actor.groups, server, tool);
}
