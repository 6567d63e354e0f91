// Per-service activity for the web UI: calls and denials in equal time buckets over a window
// (drawn as sparklines) and the most called tools. Read from the audit trail; pure bucketing.
import type { StateLayout } from '../../core/state/layout.js';
import { queryAudit, type AuditEntry } from '../../core/state/audit-trail.js';

export interface ServiceActivity {
  service: string;
  /** Calls per bucket, oldest first. */
  calls: number[];
  denials: number[];
  total: number;
}

export interface Activity {
  since: string;
  until: string;
  bucketMs: number;
  services: ServiceActivity[];
  topTools: { service: string; tool: string; calls: number }[];
}

export function bucketActivity(entries: Iterable<AuditEntry>, since: Date, until: Date, buckets: number, topN = 10): Activity {
  const span = Math.max(1, until.getTime() - since.getTime());
  const bucketMs = Math.ceil(span / buckets);
  const services = new Map<string, ServiceActivity>();
  const tools = new Map<string, { service: string; tool: string; calls: number }>();
  for (const e of entries) {
    const at = Date.parse(e.time);
    if (!(at >= since.getTime() && at <= until.getTime())) continue;
    const i = Math.min(buckets - 1, Math.floor((at - since.getTime()) / bucketMs));
    const row = services.get(e.server) ?? { service: e.server, calls: new Array(buckets).fill(0), denials: new Array(buckets).fill(0), total: 0 };
    services.set(e.server, row);
    row.calls[i]++;
    row.total++;
    if (e.decision === 'deny') row.denials[i]++;
    if (e.tool && e.method === 'tools/call') {
      const key = `${e.server}\u0000${e.tool}`;
      const t = tools.get(key) ?? { service: e.server, tool: e.tool, calls: 0 };
      tools.set(key, t);
      t.calls++;
    }
  }
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    bucketMs,
    services: [...services.values()].sort((a, b) => b.total - a.total || (a.service < b.service ? -1 : 1)),
    topTools: [...tools.values()].sort((a, b) => b.calls - a.calls || (a.tool < b.tool ? -1 : 1)).slice(0, topN),
  };
}

export async function serviceActivity(layout: StateLayout, options: { windowMs: number; buckets: number; now?: Date }): Promise<Activity> {
  const until = options.now ?? new Date();
  const since = new Date(until.getTime() - options.windowMs);
  const entries: AuditEntry[] = [];
  for await (const e of queryAudit(layout.auditLog, { since })) entries.push(e);
  return bucketActivity(entries, since, until, options.buckets);
}

/** How often each tool was called (tools/call) since `since`: the popularity prior's counts. */
export async function toolCallCounts(layout: StateLayout, since: Date): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const e of queryAudit(layout.auditLog, { since })) {
    if (e.method !== 'tools/call' || !e.tool || e.decision !== 'allow') continue;
    const key = `${e.server}/${e.tool}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
