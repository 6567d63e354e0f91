// `upstream_auth:` of a registry.d service — which credential the gateway sends upstream:
// the definition's static `headers:` (default), a token exchanged per caller at the identity
// provider (RFC 8693), or the caller's own token from the upstream's authorization server.
import { z } from 'zod';
import { httpUrl } from './common.js';
import { literalSecretReason } from './secrets.js';
import type { ConfigIssue } from './issues.js';

export const UPSTREAM_AUTH_MODES = ['static', 'token_exchange', 'delegated_oauth'] as const;
export type UpstreamAuthMode = (typeof UPSTREAM_AUTH_MODES)[number];

/** A secret that must be written as `${env:NAME}` or `${file:PATH}` (never inline). */
export const secretReference = (field: string) =>
  z.string().superRefine((value, ctx) => {
    if (literalSecretReason(field, value)) ctx.addIssue({ code: 'custom', message: `${field} must be a secret reference, not the secret itself`, params: { code: 'E_INLINE_SECRET', hint: 'write "${env:NAME}" or "${file:/run/secrets/NAME}"' } });
  });

const staticAuth = z.object({ mode: z.literal('static') }).strict();

const tokenExchange = z
  .object({
    mode: z.literal('token_exchange'),
    /** RFC 8693 `audience`: who the exchanged token is for (the upstream checks its `aud`). */
    audience: z.string().min(1),
    /** RFC 8707 `resource` sent with the exchange (the upstream's URL, when its provider wants one). */
    resource: httpUrl.optional(),
    /** Scopes asked for the exchanged token (space-separated). */
    scope: z.string().min(1).optional(),
  })
  .strict();

const delegatedOAuth = z
  .object({
    mode: z.literal('delegated_oauth'),
    /** The client registered at the upstream's authorization server, or the https URL of its client ID metadata document. */
    client_id: z.string().min(1),
    /** For a confidential client; by reference only. */
    client_secret: secretReference('client_secret').optional(),
    /** Scopes to ask the user for. */
    scopes: z.array(z.string().min(1)).default([]),
    /** The upstream's authorization server; default: the first of its RFC 9728 resource metadata. */
    authorization_server: httpUrl.optional(),
    /** RFC 8707 resource; default: the upstream URL. */
    resource: httpUrl.optional(),
  })
  .strict();

export const upstreamAuthSchema = z.discriminatedUnion('mode', [staticAuth, tokenExchange, delegatedOAuth], {
  errorMap: (issue, ctx) => (issue.code === 'invalid_union_discriminator' ? { message: 'is not a mode mcpgw knows' } : { message: ctx.defaultError }),
});

export type UpstreamAuth = z.infer<typeof upstreamAuthSchema>;
export type TokenExchangeAuth = Extract<UpstreamAuth, { mode: 'token_exchange' }>;
export type DelegatedOAuthAuth = Extract<UpstreamAuth, { mode: 'delegated_oauth' }>;

/** A per-caller credential (exchanged or delegated): authd hands it to Caddy, which sends it upstream. */
export function perCallerCredential(auth: UpstreamAuth | undefined): auth is TokenExchangeAuth | DelegatedOAuthAuth {
  return auth !== undefined && auth.mode !== 'static';
}

/** What a definition with a per-caller credential may not combine with it (problems for the service's superRefine). */
export function upstreamAuthConflicts(s: { upstream_auth?: UpstreamAuth; command?: unknown; auth: string; pass_authorization: boolean; headers?: Record<string, string> }): { path: string[]; message: string; hint: string }[] {
  if (!perCallerCredential(s.upstream_auth)) return [];
  const mode = s.upstream_auth.mode;
  const out: { path: string[]; message: string; hint: string }[] = [];
  if (s.command !== undefined) out.push({ path: ['upstream_auth', 'mode'], message: `${mode} needs an HTTP upstream; a stdio command gets no per-caller credential`, hint: 'use mode: static for stdio services' });
  if (s.auth === 'none') out.push({ path: ['upstream_auth', 'mode'], message: `${mode} needs to know the caller, but auth is "none"`, hint: 'use auth: required' });
  if (s.pass_authorization) out.push({ path: ['pass_authorization'], message: `cannot be true with upstream_auth ${mode}: the upstream gets the ${mode === 'token_exchange' ? 'exchanged' : "caller's upstream"} token instead`, hint: 'remove pass_authorization' });
  const authorization = Object.keys(s.headers ?? {}).find((h) => h.toLowerCase() === 'authorization');
  if (authorization) out.push({ path: ['headers', authorization], message: `is set by upstream_auth ${mode}; a static Authorization header would be replaced`, hint: 'remove headers.Authorization (or use mode: static)' });
  return out;
}

export const UPSTREAM_AUTH_HINTS = {
  mode: `use ${UPSTREAM_AUTH_MODES.join(', ')}`,
  audience: 'use the audience the upstream checks, e.g. https://jira.example.com',
  'unknown:upstream_auth': 'static: mode; token_exchange: mode, audience, resource, scope; delegated_oauth: mode, client_id, client_secret, scopes, authorization_server, resource',
} as const;

/**
 * What mcpgw.yaml must provide for the per-caller modes the definitions use (warnings: the
 * calls are refused with a clear error until it does): a token_exchange client at a provider,
 * an encryption key for delegated grants.
 */
export function upstreamAuthSettingsIssues(
  settings: { identity: { providers: { token_exchange?: unknown }[] }; upstream_credentials: { encryption_key?: string } },
  services: readonly { name: string; file: string; upstream_auth: UpstreamAuth }[],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const exchangeClient = settings.identity.providers.some((p) => p.token_exchange !== undefined);
  for (const s of services) {
    if (s.upstream_auth.mode === 'token_exchange' && !exchangeClient) {
      out.push({ code: 'W_TOKEN_EXCHANGE_CLIENT_MISSING', severity: 'warning', file: s.file, field: 'upstream_auth.mode', message: `${s.name} exchanges tokens, but no identity provider in mcpgw.yaml has a token_exchange client; its calls are refused`, hint: 'add identity.providers[].token_exchange: {client_id, client_secret: "${env:…}"} to mcpgw.yaml' });
    }
    if (s.upstream_auth.mode === 'delegated_oauth' && !settings.upstream_credentials.encryption_key) {
      out.push({ code: 'W_UPSTREAM_CREDENTIALS_KEY_MISSING', severity: 'warning', file: s.file, field: 'upstream_auth.mode', message: `${s.name} uses each user's own account, but mcpgw.yaml sets no upstream_credentials.encryption_key; its calls are refused`, hint: 'add upstream_credentials: {encryption_key: "${env:MCPGW_CREDENTIALS_KEY}"} to mcpgw.yaml' });
    }
  }
  return out;
}
