// The audit trail's line format (authd writes it, `mcpgw audit`/`usage` and the web UI read it)
// and the query over it: who called what, when, and was it allowed. Rotated files are read too.
import type { Identity } from '../identity/identity.js';
import { readJsonLines } from './rotated-files.js';

export interface AuditEntry {
  time: string;
  identity: Pick<Identity, 'subject' | 'kind' | 'groups'> | null;
  server: string;
  method: string | null;
  tool: string | null;
  decision: 'allow' | 'deny';
  status: number;
  /** Why; refusals by a limit say `rate_limited` (or `limits_unavailable`) and name the limit below. */
  reason: string;
  /** The limit that refused the call (429), e.g. `scope everyday on everything, tool echo`. */
  limit?: string;
  /** Caddy's request id ({http.request.uuid}): joins the decision to the access log line. */
  request?: string;
  /** W3C trace id of the request, when it carried a traceparent. */
  trace?: string;
}

export interface AuditQuery {
  /** Entries at or after this time. */
  since?: Date;
  service?: string;
  /** The identity's subject. */
  identity?: string;
  decision?: 'allow' | 'deny';
}

export function matchesAudit(entry: AuditEntry, q: AuditQuery): boolean {
  if (q.since && Date.parse(entry.time) < q.since.getTime()) return false;
  if (q.service !== undefined && entry.server !== q.service) return false;
  if (q.identity !== undefined && entry.identity?.subject !== q.identity) return false;
  if (q.decision !== undefined && entry.decision !== q.decision) return false;
  return true;
}

/** The matching entries of `file` and its rotated files, oldest first. */
export async function* queryAudit(file: string, q: AuditQuery = {}): AsyncGenerator<AuditEntry> {
  for await (const entry of readJsonLines<AuditEntry>(file)) {
    if (entry && typeof entry.time === 'string' && matchesAudit(entry, q)) yield entry;
  }
}
