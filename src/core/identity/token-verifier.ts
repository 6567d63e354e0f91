// One entry point for every bearer credential: API keys (by prefix) or JWTs from one of the
// configured issuers. The unverified `iss` only picks which configured verifier to use; that
// verifier then checks `iss` against its own configuration.
import { decodeJwt } from 'jose';
import type { IdentityProvider } from '../config/settings.js';
import { isApiKey, verifyApiKey, type ApiKeyRecord } from './api-keys.js';
import { TokenInvalidError } from './errors.js';
import type { Identity } from './identity.js';
import { JwtVerifier } from './jwt-verifier.js';

export class TokenVerifier {
  readonly jwt: JwtVerifier[];

  constructor(providers: readonly IdentityProvider[], private readonly apiKeys: () => readonly ApiKeyRecord[], jwt?: JwtVerifier[]) {
    this.jwt = jwt ?? providers.map((p) => new JwtVerifier(p));
  }

  /** Discover every provider now; failures are returned, not thrown (authd retries on demand). */
  async warmUp(): Promise<Error[]> {
    const results = await Promise.allSettled(this.jwt.map((v) => v.warmUp()));
    return results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  }

  async verify(token: string): Promise<Identity> {
    if (isApiKey(token)) return verifyApiKey(this.apiKeys(), token);
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new TokenInvalidError('ERR_TOKEN_MALFORMED', 'the bearer token is neither a JWT nor an mcpgw API key');
    }
    const verifier = this.jwt.length === 1 ? this.jwt[0] : this.jwt.find((v) => v.provider.issuer === iss);
    if (!verifier) throw new TokenInvalidError('ERR_ISSUER_UNTRUSTED', `tokens from issuer ${String(iss)} are not accepted`);
    return verifier.verify(token);
  }
}

/** The bearer token from an Authorization header, or undefined (RFC 6750 §2.1; scheme is case-insensitive). */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}
