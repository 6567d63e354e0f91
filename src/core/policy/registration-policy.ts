// What a holder of the registry right `register` may put into a definition — the rights model
// a platform team delegates with scopes.yml (README: Registry rights). Pure: the policy, who
// asks, the definition before and after the change, and the checkout root in; problems out.
// The CLI's operator (who owns the checkout) may do anything; delegates (the web UI's people,
// the registry server's callers) may use only the secrets, upstream hosts and commands their
// scopes with `register` declare. A change needs rights only for what it changes — but
// pointing a definition at a new upstream counts as using every secret it sends.
import { isAbsolute, resolve } from 'node:path';
import { matchesAny } from '../config/pattern.js';
import { ownValue } from '../config/own-record.js';
import type { RegistryGrant } from '../config/scopes.js';
import { secretReferences } from '../config/secrets.js';
import type { ServiceDefinition } from '../config/service.js';
import { scopesForGroups, type Policy } from './policy.js';
import { hostKind, upstreamAdmitted } from './upstream-hosts.js';
import type { Actor } from './registry-access.js';
import { McpgwError } from '../errors.js';

/** Who registers: the registry's actor (the local operator, or an agent or person with groups). */
export type Registrant = Actor;

export interface RegistrationChange {
  before?: ServiceDefinition;
  after?: ServiceDefinition;
}

export interface RegistrationProblem {
  code: string;
  service: string;
  field: string;
  message: string;
  hint: string;
}

/** What the groups' scopes that hold `register` allow together (grants add up). */
export function registrationGrant(policy: Policy, groups: readonly string[]): RegistryGrant & { register: boolean } {
  const grants = scopesForGroups(policy, groups)
    .map((name) => ownValue(policy.scopes, name)!.registry)
    .filter((g) => g.rights.includes('register'));
  return {
    register: grants.length > 0,
    rights: [...new Set(grants.flatMap((g) => g.rights))],
    secrets: grants.flatMap((g) => g.secrets),
    upstreams: grants.flatMap((g) => g.upstreams),
    commands: grants.some((g) => g.commands),
  };
}

/** Secret references a definition sends: in headers (upstream) and the command's env (child). */
function referencesOf(svc: ServiceDefinition | undefined): { field: string; kind: 'env' | 'file'; ref: string }[] {
  if (!svc) return [];
  const out: { field: string; kind: 'env' | 'file'; ref: string }[] = [];
  for (const [name, value] of Object.entries(svc.headers ?? {})) for (const r of secretReferences(value)) out.push({ field: `headers.${name}`, ...r });
  const env = typeof svc.command === 'object' && !Array.isArray(svc.command) ? svc.command.env : undefined;
  for (const [name, value] of Object.entries(env ?? {})) for (const r of secretReferences(value)) out.push({ field: `command.env.${name}`, ...r });
  const auth = svc.upstream_auth;
  if (auth?.mode === 'delegated_oauth' && auth.client_secret) for (const r of secretReferences(auth.client_secret)) out.push({ field: 'upstream_auth.client_secret', ...r });
  return out;
}

const absoluteIn = (root: string, path: string) => (isAbsolute(path) ? resolve(path) : resolve(root, path));

function secretAllowed(grant: RegistryGrant, kind: 'env' | 'file', ref: string, root: string): boolean {
  if (kind === 'env') return matchesAny(grant.secrets.filter((p) => !p.startsWith('file:')), ref);
  const files = grant.secrets.filter((p) => p.startsWith('file:')).map((p) => absoluteIn(root, p.slice('file:'.length)));
  return matchesAny(files, absoluteIn(root, ref));
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Problems with one change for this registrant; [] means allowed. Rights to edit at all are checked by the caller. */
export function registrationProblems(policy: Policy, registrant: Registrant, change: RegistrationChange, root: string): RegistrationProblem[] {
  const { before, after } = change;
  if (registrant.kind === 'operator' || !after) return [];
  const grant = registrationGrant(policy, registrant.groups);
  const problems: RegistrationProblem[] = [];
  const refuse = (code: string, field: string, message: string, hint: string) => problems.push({ code, service: after.name, field, message, hint });

  if (after.command !== undefined && !sameJson(after.command, before?.command) && !grant.commands) {
    refuse('E_COMMAND_NOT_ALLOWED', 'command', 'a command runs a program on the gateway host, which your registry rights do not allow', 'ask an admin to register it, or to grant registry: {commands: true}');
  }
  const known = new Set(before?.upstreams ?? []);
  const newUpstreams = after.upstreams.filter((u) => !known.has(u));
  for (const url of newUpstreams) {
    const host = new URL(url).hostname;
    if (!upstreamAdmitted(grant.upstreams, host)) {
      const kind = hostKind(host);
      const what = kind === 'public' ? `${host} is not among the upstream hosts your registry rights allow` : `${host} is a ${kind} address, which registrants may not point at unless their scope names it`;
      refuse('E_UPSTREAM_NOT_ALLOWED', 'upstream', what, `allowed: ${grant.upstreams.join(', ') || 'none'} — ask an admin to add it to registry.upstreams`);
    }
  }
  // A new upstream receives every secret the definition sends; otherwise only new references count.
  const previous = new Set(newUpstreams.length ? [] : referencesOf(before).map((r) => `${r.kind}:${r.ref}`));
  for (const r of referencesOf(after)) {
    if (previous.has(`${r.kind}:${r.ref}`) || secretAllowed(grant, r.kind, r.ref, root)) continue;
    refuse('E_SECRET_NOT_ALLOWED', r.field, `\${${r.kind}:${r.ref}} is not a secret your registry rights allow${newUpstreams.length && before ? ' to send to a new upstream' : ''}`, `allowed: ${grant.secrets.join(', ') || 'none'} — ask an admin to add it to registry.secrets`);
  }
  upstreamAuthProblems(grant, before, after, refuse);
  if (after.auth === 'none' && before?.auth !== 'none') refuse('E_AUTH_NONE_NOT_ALLOWED', 'auth', '"auth: none" opens the service to anyone; only an operator can set it', 'register it with auth: required');
  if (after.pass_authorization && !before?.pass_authorization) {
    refuse('E_PASS_AUTHORIZATION_NOT_ALLOWED', 'pass_authorization', "sends every caller's token to the upstream; only an operator can set it", 'leave pass_authorization off and give the upstream its own credential by reference');
  }
  return problems;
}

/**
 * upstream_auth: token exchange mints, from every caller's identity, a token for the audience
 * the definition names — a registrant choosing it could collect tokens for any service the
 * provider serves, so it is operator-only. A delegated authorization server is held to the
 * upstream hosts the registrant may use (its client secret to the secrets, in referencesOf).
 */
function upstreamAuthProblems(grant: RegistryGrant, before: ServiceDefinition | undefined, after: ServiceDefinition, refuse: (code: string, field: string, message: string, hint: string) => void): void {
  const auth = after.upstream_auth;
  if (auth?.mode === 'token_exchange' && !sameJson(auth, before?.upstream_auth)) {
    refuse('E_TOKEN_EXCHANGE_NOT_ALLOWED', 'upstream_auth', "token exchange turns every caller's token into one for the audience the definition names; only an operator can set it", 'ask an admin to register it, or use mode: static with a secret your rights allow');
  }
  if (auth?.mode === 'delegated_oauth' && auth.authorization_server) {
    const previous = before?.upstream_auth.mode === 'delegated_oauth' ? before.upstream_auth.authorization_server : undefined;
    const host = new URL(auth.authorization_server).hostname;
    if (auth.authorization_server !== previous && !upstreamAdmitted(grant.upstreams, host)) {
      refuse('E_UPSTREAM_NOT_ALLOWED', 'upstream_auth.authorization_server', `${host} is not among the hosts your registry rights allow`, `allowed: ${grant.upstreams.join(', ') || 'none'} — ask an admin to add it to registry.upstreams`);
    }
  }
}

/** The registrant's rights do not cover what the definition asks for: nothing is written. */
export class RegistrationRefusedError extends McpgwError {
  constructor(readonly problems: RegistrationProblem[]) {
    super('ERR_REGISTRATION_REFUSED', problems.map((p) => `${p.service} ${p.field}: ${p.message} — ${p.hint}`).join('\n'), 'denied', { details: { problems } });
  }
}

/** Throw RegistrationRefusedError when any change has a problem. */
export function requireRegistrationAllowed(policy: Policy, registrant: Registrant, changes: readonly RegistrationChange[], root: string): void {
  const problems = changes.flatMap((c) => registrationProblems(policy, registrant, c, root));
  if (problems.length) throw new RegistrationRefusedError(problems);
}
