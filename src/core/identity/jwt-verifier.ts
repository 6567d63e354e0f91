// Verifies bearer JWTs from one configured issuer: signature against the issuer's JWKS (jose's
// remote key set: cached, refetched on an unknown `kid`), `iss` from config (never from the
// request), `aud`, `exp`/`nbf` with the configured skew, and an algorithm allow-list.
import { createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { IdentityProvider } from '../config/settings.js';
import { ProviderUnavailableError, TokenInvalidError } from './errors.js';
import type { Identity } from './identity.js';
import { discoverProvider } from './provider-discovery.js';
import { isGroupName } from './group-name.js';

/** Read a claim by name, or by dotted path when no claim has that exact name (realm_access.roles). */
export function readClaim(payload: JWTPayload, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Groups from the configured claim: an array of strings, or a space-separated string (`scope`).
 * Names that break the group-name rule (control characters, over-long) are dropped.
 */
export function groupsFromClaim(value: unknown): string[] {
  const names = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
  return [...new Set(names.filter(isGroupName))];
}

/** Machine tokens: oidc-provider and Auth0 set sub = client id; Entra marks idtyp=app; Auth0 gty. */
function isMachineToken(payload: JWTPayload): boolean {
  const clientId = payload.client_id ?? payload.azp;
  return payload.sub === undefined || payload.sub === clientId || payload.idtyp === 'app' || payload.gty === 'client-credentials';
}

export class JwtVerifier {
  private keys?: Promise<JWTVerifyGetKey>;

  /** `keys` is for tests that sign with their own key set; normally keys come from discovery. */
  constructor(readonly provider: IdentityProvider, keys?: JWTVerifyGetKey) {
    if (keys) this.keys = Promise.resolve(keys);
  }

  /** Fetch discovery metadata now (authd warms up at start so the hot path has no discovery). */
  warmUp(): Promise<JWTVerifyGetKey> {
    this.keys ??= discoverProvider(this.provider, this.provider.client_id ?? 'mcpgw-authd').then(
      (config) => {
        const jwksUri = config.serverMetadata().jwks_uri;
        if (!jwksUri) throw new Error('discovery document has no jwks_uri');
        return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 10_000, cooldownDuration: 30_000 });
      },
      (err) => {
        this.keys = undefined; // try again on the next request rather than caching the failure
        throw new ProviderUnavailableError(this.provider.issuer, err);
      },
    );
    return this.keys;
  }

  async verify(token: string): Promise<Identity> {
    const keys = await this.warmUp();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.provider.issuer,
        audience: this.provider.audience,
        algorithms: this.provider.algorithms,
        clockTolerance: Math.round(this.provider.clock_skew / 1000),
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWKSTimeout) throw new ProviderUnavailableError(this.provider.issuer, err);
      if (err instanceof joseErrors.JOSEError) throw new TokenInvalidError(err.code, `token rejected: ${err.message}`);
      throw new ProviderUnavailableError(this.provider.issuer, err);
    }
    const clientId = typeof (payload.client_id ?? payload.azp) === 'string' ? String(payload.client_id ?? payload.azp) : undefined;
    const subject = payload.sub ?? clientId;
    if (!subject) throw new TokenInvalidError('ERR_NO_SUBJECT', 'token has neither sub nor client_id');
    return {
      subject,
      kind: isMachineToken(payload) ? 'client-credentials' : 'oidc',
      groups: groupsFromClaim(readClaim(payload, this.provider.groups_claim)),
      scopes: [],
      issuer: this.provider.issuer,
      clientId,
      expiresAt: payload.exp! * 1000,
    };
  }
}
