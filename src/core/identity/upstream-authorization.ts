// The authorization server of an upstream with its own OAuth (upstream_auth: delegated_oauth):
// found from the definition or from the upstream's RFC 9728 protected resource metadata (the
// `resource_metadata` of its 401 challenge), and an openid-client configuration for the
// definition's client (pre-registered, or a client ID metadata document URL).
import * as oidc from 'openid-client';
import type { DelegatedOAuthAuth } from '../config/upstream-auth.js';
import { resolveSecrets } from '../config/secrets.js';
import { isLoopbackUrl } from './provider-discovery.js';
import { McpgwError } from '../errors.js';

export interface UpstreamAuthorization {
  /** The authorization server's issuer URL. */
  authorizationServer: string;
  /** The RFC 8707 resource to ask tokens for. */
  resource: string;
  scopes: string[];
}

export class UpstreamAuthorizationError extends McpgwError {
  constructor(message: string, hint: string, options: { cause?: unknown } = {}) {
    super('ERR_UPSTREAM_AUTHORIZATION', message, 'unavailable', { hint, ...options });
  }
}

const httpOnlyOnLoopback = (url: string) => {
  if (new URL(url).protocol === 'http:' && !isLoopbackUrl(url)) throw new UpstreamAuthorizationError(`${url} uses http; only loopback servers may`, 'use https');
};

/** The `resource_metadata` URL of a `WWW-Authenticate: Bearer …` challenge (RFC 9728 §5.1), if any. */
export function resourceMetadataOf(challenge: string | null | undefined): string | undefined {
  return /resource_metadata="([^"]+)"/.exec(challenge ?? '')?.[1];
}

/** Where the user connects and what for: the definition's settings, else the upstream's own metadata. */
export async function discoverUpstreamAuthorization(upstream: string, auth: DelegatedOAuthAuth): Promise<UpstreamAuthorization> {
  if (auth.authorization_server) return { authorizationServer: auth.authorization_server, resource: auth.resource ?? upstream, scopes: auth.scopes };
  httpOnlyOnLoopback(upstream);
  let metadataUrl: string | undefined;
  try {
    const res = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":0,"method":"ping"}', signal: AbortSignal.timeout(15_000) });
    await res.body?.cancel();
    metadataUrl = res.status === 401 ? resourceMetadataOf(res.headers.get('www-authenticate')) : undefined;
  } catch (err) {
    throw new UpstreamAuthorizationError(`the upstream ${upstream} did not answer`, 'try again once it runs, or set upstream_auth.authorization_server', { cause: err });
  }
  if (!metadataUrl) throw new UpstreamAuthorizationError(`the upstream ${upstream} names no resource_metadata in a 401 challenge`, 'set upstream_auth.authorization_server in its definition');
  httpOnlyOnLoopback(metadataUrl);
  const metadata = (await (await fetch(metadataUrl, { signal: AbortSignal.timeout(15_000) })).json().catch(() => ({}))) as { resource?: unknown; authorization_servers?: unknown; scopes_supported?: unknown };
  const servers = Array.isArray(metadata.authorization_servers) ? metadata.authorization_servers.filter((s): s is string => typeof s === 'string') : [];
  if (!servers[0]) throw new UpstreamAuthorizationError(`${metadataUrl} lists no authorization_servers`, 'set upstream_auth.authorization_server in its definition');
  return { authorizationServer: servers[0], resource: auth.resource ?? (typeof metadata.resource === 'string' ? metadata.resource : upstream), scopes: auth.scopes };
}

/** openid-client for the definition's client at that server: OpenID discovery, else RFC 8414. */
export async function upstreamClientConfig(authorizationServer: string, auth: DelegatedOAuthAuth, root: string): Promise<oidc.Configuration> {
  httpOnlyOnLoopback(authorizationServer);
  const secret = auth.client_secret ? resolveSecrets(auth.client_secret, root) : undefined;
  const clientAuth = secret ? oidc.ClientSecretPost(secret) : oidc.None();
  const options = (algorithm: 'oidc' | 'oauth2') => ({ execute: new URL(authorizationServer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [], timeout: 15, algorithm });
  try {
    return await oidc.discovery(new URL(authorizationServer), auth.client_id, secret ? { client_secret: secret } : undefined, clientAuth, options('oidc'));
  } catch {
    try {
      return await oidc.discovery(new URL(authorizationServer), auth.client_id, secret ? { client_secret: secret } : undefined, clientAuth, options('oauth2'));
    } catch (err) {
      throw new UpstreamAuthorizationError(`the authorization server ${authorizationServer} publishes no usable metadata: ${(err as Error).message}`, 'check upstream_auth.authorization_server', { cause: err });
    }
  }
}
