// Who is asking the registry server, and what that lets them see and change. Over HTTP the
// caller is whoever authd let through: Caddy deletes a client's X-Mcpgw-Identity and sets
// authd's, so it is trusted here (the server listens on loopback only) and read with the one
// decoder in core. Over stdio the caller is the local operator, who owns the files anyway.
// What a caller may see and change: core/policy/registry-access (a Caller is an Actor).
import { bearerToken } from '../../core/identity/token-verifier.js';
import { sessionOwnerOf } from '../../core/policy/session-binding.js';
import { identityFromHeaders, IdentityHeaderError } from '../../core/identity/identity-header.js';
import { firstHeader, type HeaderMap } from '../../core/http/http-messages.js';
import { CallerUnknownError } from './errors.js';
import type { Caller } from '../../core/identity/caller.js';

export type { Caller };

export type { HeaderMap };

export const LOCAL_OPERATOR: Caller = { kind: 'operator', subject: 'local operator (stdio)' };

/** The caller of one HTTP request, from the identity authd forwarded (lower-case names, as node gives them). */
export function callerFromHeaders(headers: HeaderMap | undefined): Caller {
  let identity;
  try {
    identity = identityFromHeaders(headers);
  } catch (err) {
    if (err instanceof IdentityHeaderError) throw new CallerUnknownError(err.message);
    throw err;
  }
  if (!headers || !identity) throw new CallerUnknownError();
  return { kind: 'agent', subject: identity.subject, groups: identity.groups, scopes: identity.scopes, token: bearerToken(firstHeader(headers, 'authorization')), owner: sessionOwnerOf(identity) };
}

/** The session owner key of a caller (the stdio operator is one owner). */
export function callerOwner(caller: Caller): string {
  return caller.kind === 'operator' ? 'operator' : (caller.owner ?? sessionOwnerOf({ subject: caller.subject, kind: 'oidc' }));
}
