// The CLI side of a login: which provider a checkout uses, the gateway key credentials are
// stored under, and a valid access token on demand (renewed silently shortly before expiry).
import { publicUrl, type IdentityProvider, type Settings } from '../core/config/settings.js';
import { credentialsFile, readCredential, saveCredential, type StoredCredential } from './credentials-store.js';
import { CredentialError } from '../core/identity/errors.js';
import { renewCredential } from './login-flows.js';

/** Renew this long before expiry so a token printed by `mcpgw token` is still good when used. */
const RENEW_MARGIN_SECONDS = 60;

/** Credentials are stored per gateway, under its public URL. */
export function gatewayKey(settings: Settings): string {
  return publicUrl(settings);
}

export function providerFor(settings: Settings, issuer?: string): IdentityProvider {
  const { providers } = settings.identity;
  if (providers.length === 0) {
    throw new CredentialError('ERR_NO_PROVIDER', 'mcpgw.yaml names no identity provider', 'add identity.providers: [{issuer, audience, client_id}] to mcpgw.yaml');
  }
  if (!issuer) return providers[0]!;
  const found = providers.find((p) => p.issuer === issuer || p.issuer === issuer.replace(/\/$/, ''));
  if (!found) throw new CredentialError('ERR_UNKNOWN_PROVIDER', `issuer ${issuer} is not configured`, `configured: ${providers.map((p) => p.issuer).join(', ')}`);
  return found;
}

export function needsRenewal(credential: StoredCredential, nowSeconds = Date.now() / 1000): boolean {
  return credential.expires_at !== undefined && credential.expires_at - RENEW_MARGIN_SECONDS <= nowSeconds;
}

/** A valid access token for the gateway, renewing (and storing) it when it is about to expire. */
export async function currentAccessToken(settings: Settings, options: { forceRenew?: boolean; file?: string } = {}): Promise<{ token: string; credential: StoredCredential; renewed: boolean }> {
  const gateway = gatewayKey(settings);
  const file = options.file ?? credentialsFile();
  const stored = await readCredential(gateway, file);
  if (!stored) throw new CredentialError('ERR_NOT_LOGGED_IN', `not logged in to ${gateway}`, 'run mcpgw login');
  if (!options.forceRenew && !needsRenewal(stored)) return { token: stored.access_token, credential: stored, renewed: false };
  const renewed = await renewCredential(stored, providerFor(settings, stored.issuer));
  await saveCredential(gateway, renewed, file);
  return { token: renewed.access_token, credential: renewed, renewed: true };
}
