// `mcpgw connect <service>`: the signed-in user grants the gateway their own token at an
// upstream's authorization server (upstream_auth: delegated_oauth) — Authorization Code + PKCE
// with a loopback redirect — and the grant is stored encrypted in the state dir, where authd
// reads it for that user's calls. `disconnect` removes it (and revokes it at the server when it can).
import * as oidc from 'openid-client';
import type { Project } from '../core/config/project.js';
import type { ServiceDefinition } from '../core/config/service.js';
import type { DelegatedOAuthAuth } from '../core/config/upstream-auth.js';
import { McpgwError } from '../core/errors.js';
import type { Identity } from '../core/identity/identity.js';
import { discoverUpstreamAuthorization, upstreamClientConfig } from '../core/identity/upstream-authorization.js';
import { upstreamGrantStore, UpstreamGrantStore, type UpstreamGrantRecord } from '../core/state/upstream-grants.js';
import { stateLayout } from '../core/state/layout.js';
import type { BrowserLoginOptions } from './login-flows.js';
import { openLoopbackRedirect } from './loopback-redirect.js';
import { currentAccessToken } from './session.js';
import { describeToken } from './whoami.js';

export interface ConnectResult {
  service: string;
  subject: string;
  authorizationServer: string;
  scope?: string;
  /** ISO time the access token expires, when the server said. */
  expiresAt?: string;
  refreshable: boolean;
}

/** The delegated_oauth service of that name, or a not-found / wrong-mode error. */
export function delegatedService(project: Project, name: string): ServiceDefinition & { upstream_auth: DelegatedOAuthAuth } {
  const service = project.services.find((s) => s.name === name);
  if (!service) throw new McpgwError('ERR_UNKNOWN_SERVICE', `no service "${name}" in registry.d`, 'not-found', { hint: 'mcpgw list shows the services' });
  if (service.upstream_auth.mode !== 'delegated_oauth') {
    throw new McpgwError('ERR_NOT_DELEGATED', `${name} does not use your own account (upstream_auth is ${service.upstream_auth.mode})`, 'invalid-input', { hint: 'only services with upstream_auth: {mode: delegated_oauth} are connected per user' });
  }
  return service as ServiceDefinition & { upstream_auth: DelegatedOAuthAuth };
}

/** Who the gateway knows you as (your `mcpgw login` token, verified as authd would). */
async function signedInIdentity(project: Project): Promise<Identity & { issuer: string }> {
  const { token } = await currentAccessToken(project.settings);
  const { identity } = await describeToken(project, token);
  if (!identity.issuer) throw new McpgwError('ERR_NOT_DELEGABLE', 'an API key has no account to connect', 'invalid-input', { hint: 'sign in with mcpgw login' });
  return identity as Identity & { issuer: string };
}

/** The scopes asked for: the definition's, plus offline_access when the server offers it (a refresh token). */
function scopesFor(config: oidc.Configuration, scopes: string[]): string {
  const supported = config.serverMetadata().scopes_supported ?? [];
  return [...new Set([...scopes, ...(supported.includes('offline_access') ? ['offline_access'] : [])])].join(' ');
}

/** An authorization started for one user and service: finish it with the callback URL. */
export interface PendingConnection {
  url: string;
  state: string;
  service: string;
  redirectUri: string;
  finish(callback: URL, owner: { issuer: string; subject: string }): Promise<ConnectResult>;
}

/**
 * Start Authorization Code + PKCE (S256) at the service's authorization server for `redirectUri`
 * (the CLI's loopback, or the web UI's callback); `finish` checks state, exchanges the code with
 * the verifier and the RFC 8707 resource, and stores the grant encrypted for that owner.
 */
export async function startConnection(project: Project, name: string, redirectUri: string, extraScopes: string[] = []): Promise<PendingConnection> {
  const service = delegatedService(project, name);
  const store = upstreamGrantStore(project.settings, project.stateDir, project.paths.root);
  const where = await discoverUpstreamAuthorization(service.upstreams[0]!, service.upstream_auth);
  const config = await upstreamClientConfig(where.authorizationServer, service.upstream_auth, project.paths.root);
  const scope = scopesFor(config, [...where.scopes, ...extraScopes]);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    resource: where.resource,
    // OpenID Connect Core §11: a refresh token (offline_access) needs the consent prompt.
    ...(scope.split(' ').includes('offline_access') ? { prompt: 'consent' } : {}),
  });
  const finish = async (callback: URL, owner: { issuer: string; subject: string }): Promise<ConnectResult> => {
    const error = callback.searchParams.get('error');
    if (error) throw new McpgwError('ERR_CONNECT_DENIED', `the authorization server refused: ${error} ${callback.searchParams.get('error_description') ?? ''}`.trim(), 'denied', { hint: `try again: mcpgw connect ${name}` });
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, { resource: where.resource });
    const expiresAt = typeof tokens.expires_in === 'number' ? Date.now() + tokens.expires_in * 1000 : undefined;
    await store.save({
      issuer: owner.issuer,
      subject: owner.subject,
      service: service.name,
      authorization_server: where.authorizationServer,
      client_id: service.upstream_auth.client_id,
      scope: tokens.scope ?? scope,
      resource: where.resource,
      connected_at: new Date().toISOString(),
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_at: expiresAt,
    });
    return { service: service.name, subject: owner.subject, authorizationServer: where.authorizationServer, scope: tokens.scope ?? scope, ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}), refreshable: tokens.refresh_token !== undefined };
  };
  return { url: url.toString(), state, service: service.name, redirectUri, finish };
}

/** `mcpgw connect`: as the signed-in user, through a loopback redirect (RFC 8252). */
export async function connectUpstream(project: Project, name: string, options: BrowserLoginOptions & { extraScopes?: string[] }): Promise<ConnectResult> {
  delegatedService(project, name);
  const identity = await signedInIdentity(project);
  const redirect = await openLoopbackRedirect(options.port, options.timeoutMs);
  try {
    const pending = await startConnection(project, name, redirect.redirectUri, options.extraScopes);
    options.onAuthorizationUrl(pending.url);
    return await pending.finish(await redirect.received, identity);
  } finally {
    redirect.close();
  }
}

export interface DisconnectResult {
  service: string;
  subject: string;
  removed: boolean;
  /** Whether the authorization server was told to revoke the refresh token (RFC 7009). */
  revokedAtServer: boolean;
}

/** Remove a grant: your own (`subject` undefined) or, for the operator, anyone's. */
export async function disconnectUpstream(project: Project, name: string, owner?: { subject: string; issuer?: string }): Promise<DisconnectResult> {
  const service = delegatedService(project, name);
  const who = owner ?? (await signedInIdentity(project));
  const issuer = who.issuer ?? project.settings.identity.providers[0]?.issuer ?? '';
  const store = storeOf(project);
  const key = { issuer, subject: who.subject, service: service.name };
  const grant = await store.load(key).catch(() => undefined);
  let revokedAtServer = false;
  if (grant?.refresh_token) {
    try {
      const config = await upstreamClientConfig(grant.authorization_server, service.upstream_auth, project.paths.root);
      if (config.serverMetadata().revocation_endpoint) {
        await oidc.tokenRevocation(config, grant.refresh_token, { token_type_hint: 'refresh_token' });
        revokedAtServer = true;
      }
    } catch {
      // Removing the grant here is what stops the gateway from using it; the server may be down.
    }
  }
  const removed = await store.remove(key);
  return { service: service.name, subject: who.subject, removed, revokedAtServer };
}

/** Every stored grant's owner and service (never tokens), for admins; needs no key. */
export function listConnections(project: Project): Promise<UpstreamGrantRecord[]> {
  return keylessStore(project).list();
}

/** The store with its key when the key can be read, else without (list and remove only). */
function storeOf(project: Project): UpstreamGrantStore {
  try {
    return upstreamGrantStore(project.settings, project.stateDir, project.paths.root);
  } catch {
    return keylessStore(project);
  }
}

const keylessStore = (project: Project) => new UpstreamGrantStore(stateLayout(project.stateDir).upstreamGrantsDir);
