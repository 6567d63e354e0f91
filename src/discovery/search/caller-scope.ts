// Who runs `mcpgw find`: with an identity (a --token, or the credentials of `mcpgw login` for
// this gateway) the caller is that identity, whose results scopes.yml filters exactly as authd
// decides a tools/call; without one (an operator at the checkout) it is the local operator.
import type { Project } from '../../core/config/project.js';
import { publicUrl, type Settings } from '../../core/config/settings.js';
import type { Actor } from '../../core/policy/registry-access.js';

/** The bearer token of the caller, or undefined for the local operator (no --token, no login). */
export async function callerToken(settings: Settings, token?: string): Promise<string | undefined> {
  if (token) return token;
  const { readCredential } = await import('../../client/credentials-store.js');
  // Credentials are stored under the gateway's public URL (gatewayKey in client/session).
  if (!(await readCredential(publicUrl(settings)))) return undefined;
  const { currentAccessToken } = await import('../../client/session.js');
  return (await currentAccessToken(settings)).token;
}

/** The identity a token stands for, as the registry service's rules see it. Auth modules load only here. */
export async function callerOfToken(project: Project, token: string): Promise<Actor> {
  const { describeToken } = await import('../../client/whoami.js');
  const { identity } = await describeToken(project, token);
  return { kind: 'agent', subject: identity.subject, groups: identity.groups };
}
