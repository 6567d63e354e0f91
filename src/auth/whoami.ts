// What a token means at this gateway: the identity authd would derive, and what its groups
// allow under scopes.yml. Uses the same verifier as authd, so the answer matches a real call.
import type { Project } from '../config/project.js';
import type { RegistryRight, ServerGrant } from '../config/scopes.js';
import { stateLayout } from '../state/layout.js';
import { readApiKeys } from './api-keys.js';
import type { Identity } from './identity.js';
import { registryRights, serverGrants, withScopes } from './policy.js';
import { TokenVerifier } from './token-verifier.js';

export interface IdentityReport {
  identity: Identity;
  servers: { scope: string; server: string; grant: ServerGrant }[];
  registry: RegistryRight[];
}

export async function describeToken(project: Project, token: string): Promise<IdentityReport> {
  const keys = await readApiKeys(stateLayout(project.stateDir).apiKeysFile);
  const identity = withScopes(await new TokenVerifier(project.settings.identity.providers, () => keys).verify(token), project.scopes);
  return { identity, servers: serverGrants(project.scopes, identity.groups), registry: registryRights(project.scopes, identity.groups) };
}
