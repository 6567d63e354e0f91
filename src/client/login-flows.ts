// The ways to obtain gateway tokens with openid-client: Authorization Code + PKCE with a
// loopback redirect (RFC 8252), the device flow (RFC 8628), and client credentials for an
// agent's own identity. Every request names the gateway as resource (RFC 8707) so the
// provider issues tokens with the audience authd checks.
import * as oidc from 'openid-client';
import type { IdentityProvider } from '../core/config/settings.js';
import { resolveSecrets } from '../core/config/secrets.js';
import type { StoredCredential } from './credentials-store.js';
import { CredentialError } from '../core/identity/errors.js';
import { openLoopbackRedirect } from './loopback-redirect.js';
import { discoverProvider } from '../core/identity/provider-discovery.js';

export interface LoginTarget {
  provider: IdentityProvider;
  clientId: string;
  /** Extra scopes beyond `openid offline_access`. */
  scopes?: string[];
}

type TokenResponse = oidc.TokenEndpointResponse;

function credentialFrom(target: LoginTarget, kind: StoredCredential['kind'], tokens: TokenResponse, previous?: StoredCredential): StoredCredential {
  return {
    kind,
    issuer: target.provider.issuer,
    client_id: target.clientId,
    resource: target.provider.audience,
    access_token: tokens.access_token,
    // Providers that do not rotate refresh tokens omit them on refresh: keep the old one.
    refresh_token: tokens.refresh_token ?? previous?.refresh_token,
    id_token: tokens.id_token ?? previous?.id_token,
    expires_at: typeof tokens.expires_in === 'number' ? Math.floor(Date.now() / 1000) + tokens.expires_in : undefined,
    scope: tokens.scope,
    client_secret_ref: previous?.client_secret_ref,
    obtained_at: new Date().toISOString(),
  };
}

function scopeOf(target: LoginTarget): string {
  return ['openid', 'offline_access', ...(target.scopes ?? [])].join(' ');
}

export interface BrowserLoginOptions {
  /** Called with the authorization URL: print it, and open a browser if wanted. */
  onAuthorizationUrl(url: string): void;
  port?: number;
  timeoutMs?: number;
}

export async function loginWithBrowser(target: LoginTarget, options: BrowserLoginOptions): Promise<StoredCredential> {
  const config = await discoverProvider(target.provider, target.clientId);
  // OpenID Connect Core §11: offline_access (a refresh token) needs consent to be asked.
  const tokens = await codeFlowOnLoopback(config, { scope: scopeOf(target), resource: target.provider.audience, prompt: 'consent' }, options);
  return credentialFrom(target, 'oidc', tokens);
}

/**
 * Authorization Code + PKCE (S256) with a loopback redirect (RFC 8252): `onAuthorizationUrl`
 * gets the URL to open; the code is exchanged with the verifier and the same RFC 8707 resource.
 */
export async function codeFlowOnLoopback(config: oidc.Configuration, params: { scope: string; resource?: string; prompt?: string }, options: BrowserLoginOptions): Promise<TokenResponse> {
  const redirect = await openLoopbackRedirect(options.port, options.timeoutMs);
  try {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const resource: Record<string, string> = params.resource ? { resource: params.resource } : {};
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirect.redirectUri,
      scope: params.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...resource,
      ...(params.prompt ? { prompt: params.prompt } : {}),
    });
    options.onAuthorizationUrl(url.toString());
    const callback = await redirect.received;
    const error = callback.searchParams.get('error');
    if (error) throw new CredentialError('ERR_LOGIN_DENIED', `the provider refused the sign-in: ${error} ${callback.searchParams.get('error_description') ?? ''}`.trim());
    return await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, resource);
  } finally {
    redirect.close();
  }
}

export interface DeviceLoginOptions {
  onUserCode(info: { verificationUri: string; verificationUriComplete?: string; userCode: string }): void;
}

export async function loginWithDevice(target: LoginTarget, options: DeviceLoginOptions): Promise<StoredCredential> {
  const config = await discoverProvider(target.provider, target.clientId);
  if (!config.serverMetadata().device_authorization_endpoint) {
    throw new CredentialError('ERR_NO_DEVICE_FLOW', `${target.provider.issuer} does not offer the device flow`, 'use mcpgw login (browser) instead');
  }
  const device = await oidc.initiateDeviceAuthorization(config, { scope: scopeOf(target), resource: target.provider.audience });
  options.onUserCode({ verificationUri: device.verification_uri, verificationUriComplete: device.verification_uri_complete, userCode: device.user_code });
  const tokens = await oidc.pollDeviceAuthorizationGrant(config, device, { resource: target.provider.audience });
  return credentialFrom(target, 'oidc', tokens);
}

/** An agent's own identity. `secretRef` is `${env:NAME}` or `${file:PATH}`; only the reference is stored. */
export async function loginWithClientCredentials(target: LoginTarget, secretRef: string, baseDir = process.cwd()): Promise<StoredCredential> {
  const clientSecret = resolveSecrets(secretRef, baseDir);
  const config = await discoverProvider(target.provider, target.clientId, { clientSecret });
  const params: Record<string, string> = { resource: target.provider.audience };
  if (target.scopes?.length) params.scope = target.scopes.join(' ');
  const tokens = await oidc.clientCredentialsGrant(config, params);
  return { ...credentialFrom(target, 'client-credentials', tokens), client_secret_ref: secretRef };
}

/** A fresh credential for a stored one: refresh token for people, a new grant for machines. */
export async function renewCredential(stored: StoredCredential, provider: IdentityProvider): Promise<StoredCredential> {
  const target: LoginTarget = { provider, clientId: stored.client_id };
  if (stored.kind === 'client-credentials') {
    if (!stored.client_secret_ref) throw new CredentialError('ERR_NO_SECRET_REF', 'the stored machine login has no secret reference', 'log in again with mcpgw login --client-credentials');
    return loginWithClientCredentials(target, stored.client_secret_ref);
  }
  if (!stored.refresh_token) throw new CredentialError('ERR_EXPIRED', 'the access token expired and there is no refresh token', 'log in again: mcpgw login');
  const config = await discoverProvider(provider, stored.client_id);
  try {
    const tokens = await oidc.refreshTokenGrant(config, stored.refresh_token, { resource: stored.resource });
    return credentialFrom(target, 'oidc', tokens, stored);
  } catch (err) {
    if (err instanceof oidc.ResponseBodyError) throw new CredentialError('ERR_REFRESH_REFUSED', `the provider refused the refresh: ${err.error}`, 'log in again: mcpgw login');
    throw err;
  }
}
