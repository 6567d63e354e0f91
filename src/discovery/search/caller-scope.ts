// Who runs `mcpgw find`: with an identity (a --token, or the credentials of `mcpgw login` for
// this gateway) the caller is that identity, whose results scopes.yml filters exactly as authd
// decides a tools/call; without one (an operator at the checkout) it is the local operator.
import type { Project } from '../../core/config/project.js';
import { publicUrl } from '../../core/config/settings.js';
import { LOCAL_OPERATOR, type Actor } from '../../core/policy/registry-access.js';

/** Resolve the caller of a CLI search. Auth modules load only when there is an identity. */
export async function findCaller(project: Project, token?: string): Promise<Actor> {
  let bearer = token;
  if (!bearer) {
    const { readCredential } = await import('../../client/credentials-store.js');
    // Credentials are stored under the gateway's public URL (gatewayKey in client/session).
    if (!(await readCredential(publicUrl(project.settings)))) return LOCAL_OPERATOR;
    const { currentAccessToken } = await import('../../client/session.js');
    bearer = (await currentAccessToken(project.settings)).token;
  }
  const { describeToken } = await import('../../client/whoami.js');
  const { identity } = await describeToken(project, bearer);
  return { kind: 'agent', subject: identity.subject, groups: identity.groups };
}
