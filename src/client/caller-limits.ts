// A caller's limits and what is left, as `mcpgw whoami` shows them: asked of the gateway
// (<gateway>/mcpgw/limits with the caller's own token, so the counters are the live ones), or,
// when the gateway does not answer, the declared limits without what is left.
import type { Project } from '../core/config/project.js';
import { publicUrl } from '../core/config/settings.js';
import type { Identity } from '../core/identity/identity.js';
import { callerLimits, limitStatus, type LimitStatus } from '../core/policy/limits.js';
import { LIMITS_PATH } from '../core/wire/contract.js';

export interface CallerLimitsReport {
  /** true: remaining counts come from the gateway; false: declared limits only (see `note`). */
  live: boolean;
  /** Where the gateway counts: memory (each node) or redis (shared). */
  store?: string;
  note?: string;
  limits: LimitStatus[];
}

/** Long enough for a gateway on loopback; short so whoami never hangs on a stopped one. */
const ASK_TIMEOUT_MS = 3_000;

export async function callerLimitsReport(project: Project, identity: Pick<Identity, 'kind' | 'subject' | 'groups'>, token: string): Promise<CallerLimitsReport> {
  return askLimits(project, identity, `${publicUrl(project.settings)}${LIMITS_PATH}`, { authorization: `Bearer ${token}` });
}

/** Ask `url` (the gateway's, or authd's own for the web UI) for the caller's limits; declared ones when it does not answer. */
export async function askLimits(project: Project, identity: Pick<Identity, 'kind' | 'subject' | 'groups'>, url: string, headers: Record<string, string> = {}): Promise<CallerLimitsReport> {
  const shown = url.split('?')[0];
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(ASK_TIMEOUT_MS) });
    if (res.ok) {
      const body = (await res.json()) as { counters?: { store?: string }; limits: LimitStatus[] };
      return { live: true, store: body.counters?.store, limits: body.limits };
    }
    return declared(project, identity, `the gateway answered ${res.status} at ${shown}`);
  } catch (err) {
    return declared(project, identity, `the gateway at ${shown} did not answer (${(err as Error).message})`);
  }
}

function declared(project: Project, identity: Pick<Identity, 'kind' | 'subject' | 'groups'>, why: string): CallerLimitsReport {
  const limits = callerLimits(project.scopes, project.services, identity).map((l) => limitStatus(l));
  return { live: false, note: `${why}: declared limits only, without what is left`, limits };
}
