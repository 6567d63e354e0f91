// An upstream refused a proxied call (401/403, RFC 6750 §3 challenge): Caddy asks authd, which
// answers the client with a JSON-RPC error saying what to do — connect (or reconnect) the
// user's account, ask for the scope the upstream named, or ask an admin — instead of a bare status.
// Always 403 to the client: a 401 would tell an MCP client its token for the *gateway* is bad.
import type { ServiceDefinition } from '../../core/config/service.js';
import { AuthdRefusal, refusal, type AuthdAnswer } from './rpc-answer.js';

/** `error` and `scope` of a Bearer challenge (RFC 6750 §3), when given. */
export function challengeParams(challenge: string | undefined): { error?: string; scope?: string } {
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge ?? '')?.[1];
  const error = param('error');
  const scope = param('scope');
  return { ...(error ? { error } : {}), ...(scope ? { scope } : {}) };
}

/** What the caller (or their admin) can do about an upstream's refusal, by the service's upstream_auth. */
export function relayedChallengeAnswer(service: Pick<ServiceDefinition, 'name' | 'upstream_auth'> | undefined, name: string, status: number, challenge: string | undefined): AuthdAnswer {
  const { error, scope } = challengeParams(challenge);
  const mode = service?.upstream_auth.mode ?? 'static';
  const data = { server: name, upstream_status: status, ...(error ? { upstream_error: error } : {}), ...(scope ? { scope } : {}) };
  const answer = (code: string, message: string, extra: Record<string, unknown> = {}) => refusal(null, new AuthdRefusal(code, message, 'denied', { ...data, ...extra }));
  if (scope || error === 'insufficient_scope') {
    const needs = scope ? `scope ${scope}` : 'more rights';
    if (mode === 'delegated_oauth') return answer('ERR_UPSTREAM_INSUFFICIENT_SCOPE', `${name} needs ${needs} on your account — reconnect asking for it: mcpgw connect ${name}${scope ? ` --scope ${scope.split(' ').join(' --scope ')}` : ''}`, { connect: `mcpgw connect ${name}` });
    if (mode === 'token_exchange') return answer('ERR_UPSTREAM_INSUFFICIENT_SCOPE', `${name} needs ${needs} in the token exchanged for you — ask an admin to add it to upstream_auth.scope of ${name}`);
    return answer('ERR_UPSTREAM_INSUFFICIENT_SCOPE', `${name} needs ${needs} — ask an admin for a gateway credential (headers:) that has it`);
  }
  if (status === 401) {
    if (mode === 'delegated_oauth') return answer('ERR_UPSTREAM_REAUTH_REQUIRED', `${name} no longer accepts your connected account${error ? ` (${error})` : ''} — reconnect: mcpgw connect ${name}`, { connect: `mcpgw connect ${name}` });
    if (mode === 'token_exchange') return answer('ERR_UPSTREAM_CREDENTIAL_REFUSED', `${name} refused the token exchanged for you${error ? ` (${error})` : ''} — ask an admin to check upstream_auth of ${name} (audience, resource)`);
    return answer('ERR_UPSTREAM_CREDENTIAL_REFUSED', `${name} refused the gateway's credential${error ? ` (${error})` : ''} — ask an admin to check the headers: of ${name}`);
  }
  return answer('ERR_UPSTREAM_FORBIDDEN', `${name} refused this call (HTTP ${status})${error ? `: ${error}` : ''} — your account there lacks the right; ask its owner`);
}
