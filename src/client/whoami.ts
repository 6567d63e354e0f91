// What a token means at this gateway: the identity authd would derive, and what its groups
// allow under scopes.yml. Uses the same verifier as authd, so the answer matches a real call.
import { apiKeysFileOf, type Project } from '../core/config/project.js';
import type { RegistryRight, ServerGrant } from '../core/config/scopes.js';
import { readApiKeys } from '../core/identity/api-keys.js';
import type { Identity } from '../core/identity/identity.js';
import { registryRights, serverGrants, withScopes } from '../core/policy/policy.js';
import { TokenVerifier } from '../core/identity/token-verifier.js';

export interface IdentityReport {
  identity: Identity;
  servers: { scope: string; server: string; grant: ServerGrant }[];
  registry: RegistryRight[];
}

export async function describeToken(project: Project, token: string): Promise<IdentityReport> {
  const keys = await readApiKeys(apiKeysFileOf(project));
  const identity = withScopes(await new TokenVerifier(project.settings.identity.providers, () => keys).verify(token), project.scopes);
  return { identity, servers: serverGrants(project.scopes, identity.groups), registry: registryRights(project.scopes, identity.groups) };
}
