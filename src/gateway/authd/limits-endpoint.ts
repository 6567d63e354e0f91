// GET /limits (at <gateway>/mcpgw/limits through Caddy): the caller's own limits and what is
// left, for `mcpgw whoami` and the web UI. The caller's bearer token says who; nobody sees
// another caller's counters.
import { AuthError } from '../../core/identity/errors.js';
import { bearerToken } from '../../core/identity/token-verifier.js';
import type { IdentityKind } from '../../core/identity/identity.js';
import type { Authorizer } from './authorizer.js';
import type { LimitEnforcer } from './limit-enforcer.js';
import type { PolicySource } from './policy-source.js';
import type { AuthdAnswer } from './rpc-answer.js';

function json(status: number, value: unknown, headers: Record<string, string> = {}): AuthdAnswer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** GET /limits: who is asking comes from their own bearer token. */
export async function limitsAnswer(authorization: string | undefined, authorizer: Authorizer, source: PolicySource, enforcer: LimitEnforcer): Promise<AuthdAnswer> {
  const token = bearerToken(authorization);
  if (!token) return json(401, { error: 'ERR_NO_TOKEN', error_description: 'send your gateway token: Authorization: Bearer …' }, { 'www-authenticate': 'Bearer' });
  try {
    const identity = await authorizer.identify(token);
    const limits = await enforcer.report(source.current.policy, source.current.services.values(), identity);
    return json(200, { subject: identity.subject, kind: identity.kind, counters: enforcer.counters.describe(), limits });
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    return json(err.status, { error: err.code, error_description: err.message }, err.status === 401 ? { 'www-authenticate': `Bearer error="invalid_token"` } : {});
  }
}

const KINDS: readonly IdentityKind[] = ['oidc', 'api-key', 'client-credentials'];

/**
 * GET /limits/of?subject=…&kind=…&groups=a,b — for the web UI, whose sessions keep no token. It
 * reads counters only (changes nothing), and Caddy routes only /verify, /limits and the
 * well-known documents to authd, so only processes on this host reach it.
 */
export async function limitsOfAnswer(query: URLSearchParams, source: PolicySource, enforcer: LimitEnforcer): Promise<AuthdAnswer> {
  const subject = query.get('subject');
  const kind = query.get('kind') as IdentityKind | null;
  if (!subject || !kind || !KINDS.includes(kind)) return json(400, { error: 'ERR_BAD_QUERY', error_description: `need subject and kind (${KINDS.join(', ')})` });
  const groups = (query.get('groups') ?? '').split(',').filter(Boolean);
  const limits = await enforcer.report(source.current.policy, source.current.services.values(), { subject, kind, groups });
  return json(200, { subject, kind, counters: enforcer.counters.describe(), limits });
}
