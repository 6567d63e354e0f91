// Who is asking the registry server, and what that lets them see and change. Over HTTP the
// caller is whoever authd let through: Caddy deletes client-sent X-User/X-Groups/X-Scopes and
// sets authd's, so these headers are trusted here (the server listens on loopback only). Over
// stdio the caller is the local operator, who owns the files anyway.
import type { RegistryRight } from '../../core/config/scopes.js';
import { decideForGroups, hasRegistryRight, isToolAllowed, type Policy } from '../../core/policy/policy.js';
import { bearerToken } from '../../core/identity/token-verifier.js';
import { CallerUnknownError, RegistryRightError } from './errors.js';
import { headerKey, IDENTITY_HEADER } from '../../core/wire/contract.js';

export type Caller =
  | {
      kind: 'agent';
      subject: string;
      groups: string[];
      scopes: string[];
      /** The caller's own bearer token, presented to <gateway>/<service> by call_tool. */
      token?: string;
    }
  | { kind: 'operator'; subject: string };

export type HeaderMap = Record<string, string | string[] | undefined>;

export const LOCAL_OPERATOR: Caller = { kind: 'operator', subject: 'local operator (stdio)' };

function header(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const list = (text: string | undefined) => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** The caller of one HTTP request, from the headers authd set (lower-case names, as node gives them). */
export function callerFromHeaders(headers: HeaderMap | undefined): Caller {
  const subject = headers && header(headers, headerKey(IDENTITY_HEADER.user));
  if (!headers || !subject) throw new CallerUnknownError();
  return { kind: 'agent', subject, groups: list(header(headers, headerKey(IDENTITY_HEADER.groups))), scopes: list(header(headers, headerKey(IDENTITY_HEADER.scopes))), token: bearerToken(header(headers, 'authorization')) };
}

/** May the caller call this tool? (The gateway decides for real; this decides what is shown.) */
export function mayCallTool(policy: Policy, caller: Caller, server: string, tool: string): boolean {
  return caller.kind === 'operator' || isToolAllowed(policy, caller.groups, server, tool);
}

/** A service is shown to holders of the `list` right and to anyone granted something on it. */
export function maySeeService(policy: Policy, caller: Caller, server: string): boolean {
  if (caller.kind === 'operator') return true;
  return hasRegistryRight(policy, caller.groups, 'list') || decideForGroups(policy, caller.groups, { server }).allowed;
}

export function holdsRight(policy: Policy, caller: Caller, right: RegistryRight): boolean {
  return caller.kind === 'operator' || hasRegistryRight(policy, caller.groups, right);
}

export function requireRight(policy: Policy, caller: Caller, right: RegistryRight): void {
  if (!holdsRight(policy, caller, right)) throw new RegistryRightError(right, caller.subject);
}
