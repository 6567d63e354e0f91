// Who is calling: the one shape every verifier produces and every consumer (authd, registry
// server, web UI, search) reads. Tokens never live in it.

export type IdentityKind = 'oidc' | 'api-key' | 'client-credentials';

export interface Identity {
  /** Stable subject: the token's `sub`, the machine client's id, or `api-key:<name>`. */
  subject: string;
  kind: IdentityKind;
  /** Groups from the provider's groups claim (or the API key's groups). */
  groups: string[];
  /** mcpgw scope names those groups map to in scopes.yml (filled by scopesForGroups). */
  scopes: string[];
  /** Issuer that vouched for the identity (absent for API keys). */
  issuer?: string;
  /** OAuth client the token was issued to, when the token says. */
  clientId?: string;
  /** When the credential stops being valid, epoch milliseconds (absent: until revoked). */
  expiresAt?: number;
}
