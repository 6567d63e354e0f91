// OpenID discovery for a configured provider, through openid-client. Plain http is allowed only
// for loopback issuers (local development and tests); anything else must be https.
import * as oidc from 'openid-client';
import type { IdentityProvider } from '../config/settings.js';

export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface ClientCredentialsSecret {
  clientSecret: string;
}

/** Discover the provider's metadata and build an openid-client configuration for `clientId`. */
export async function discoverProvider(provider: Pick<IdentityProvider, 'issuer'>, clientId: string, secret?: ClientCredentialsSecret): Promise<oidc.Configuration> {
  const issuer = new URL(provider.issuer);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !isLoopbackUrl(provider.issuer)) {
    throw new Error(`issuer ${provider.issuer} uses http; only loopback issuers may (use https)`);
  }
  const auth = secret ? oidc.ClientSecretPost(secret.clientSecret) : oidc.None();
  return oidc.discovery(issuer, clientId, secret ? { client_secret: secret.clientSecret } : undefined, auth, {
    execute: insecure ? [oidc.allowInsecureRequests] : [],
    timeout: 15,
  });
}
