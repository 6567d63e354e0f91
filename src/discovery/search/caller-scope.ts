// Which tools the caller may call: with an identity (a --token, or the credentials of
// `mcpgw login` for this gateway) results are filtered through scopes.yml exactly as authd
// decides a tools/call; without one (an operator at the checkout) nothing is hidden.
import { loadProject } from '../../core/config/project.js';
import type { Settings } from '../../core/config/settings.js';
import { isToolAllowed, type Policy } from '../../core/policy/policy.js';
import { publicUrl } from '../../core/config/settings.js';
import type { ToolPredicate } from './find-tools.js';

/** Pure: the predicate for a set of groups under a policy. */
export function scopePredicate(policy: Policy, groups: readonly string[]): ToolPredicate {
  return (server, tool) => isToolAllowed(policy, groups, server, tool);
}

export interface CallerScope {
  allow?: ToolPredicate;
  /** Who the results are filtered for (absent: unfiltered). */
  subject?: string;
}

/** Resolve the caller's identity and its predicate. Auth modules load only when there is an identity. */
export async function callerScope(root: string, settings: Settings, token?: string): Promise<CallerScope> {
  let bearer = token;
  if (!bearer) {
    const { readCredential } = await import('../../client/credentials-store.js');
    // Credentials are stored under the gateway's public URL (gatewayKey in auth/session).
    if (!(await readCredential(publicUrl(settings)))) return {};
    const { currentAccessToken } = await import('../../client/session.js');
    bearer = (await currentAccessToken(settings)).token;
  }
  const project = await loadProject(root);
  const { describeToken } = await import('../../client/whoami.js');
  const { identity } = await describeToken(project, bearer);
  return { allow: scopePredicate(project.scopes, identity.groups), subject: identity.subject };
}
