// The limits panel: a signed-in person's limits and what is left. Sessions keep no token, so the
// web server asks authd's loopback-only /limits/of for the person it signed in (always OIDC).
import type { Project } from '../../core/config/project.js';
import { AUTHD_PATH } from '../../core/wire/contract.js';
import { dialOfListen } from '../../control/caddy/proxy-chain.js';
import { askLimits, type CallerLimitsReport } from '../../client/caller-limits.js';
import type { WebSession } from './session-store.js';

export function limitsOfPerson(project: Project, session: Pick<WebSession, 'subject' | 'groups'>): Promise<CallerLimitsReport> {
  const identity = { kind: 'oidc' as const, subject: session.subject, groups: session.groups };
  const query = new URLSearchParams({ subject: identity.subject, kind: identity.kind, groups: identity.groups.join(',') });
  return askLimits(project, identity, `http://${dialOfListen(project.settings.authd.listen)}${AUTHD_PATH.limitsOf}?${query}`);
}
