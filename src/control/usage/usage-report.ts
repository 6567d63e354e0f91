// `mcpgw usage`: calls, denials, errors and latency per service, tool or identity over a window.
// Decisions come from authd's audit trail; the outcome of each allowed call (status, duration)
// from Caddy's access log, joined by the request id both record. Pure aggregation + two reads.
import type { StateLayout } from '../../core/state/layout.js';
import { queryAudit, type AuditEntry } from '../../core/state/audit-trail.js';
import { requestOutcomes, type RequestOutcome } from '../../core/state/access-log.js';

export type UsageDimension = 'service' | 'tool' | 'identity';

export interface UsageRow {
  /** The service, `service/tool`, or the identity's subject (`(anonymous)` without one). */
  key: string;
  calls: number;
  allowed: number;
  denials: number;
  /** Allowed calls that Caddy answered with a status ≥ 400 (upstream error, timeout, gateway error). */
  errors: number;
  /** Over allowed calls with a known outcome; null when none. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface UsageReport {
  since: string;
  by: UsageDimension;
  rows: UsageRow[];
  /** Allowed calls whose outcome was found in the access log (the rest count without latency). */
  withOutcome: number;
}

export function usageKey(entry: Pick<AuditEntry, 'server' | 'tool' | 'identity'>, by: UsageDimension): string {
  if (by === 'service') return entry.server;
  if (by === 'tool') return `${entry.server}/${entry.tool ?? '(no tool)'}`;
  return entry.identity?.subject ?? '(anonymous)';
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Pure: aggregate decisions (with their outcomes) into rows, busiest first. */
export function aggregateUsage(entries: Iterable<AuditEntry>, outcomes: ReadonlyMap<string, RequestOutcome>, by: UsageDimension): { rows: UsageRow[]; withOutcome: number } {
  const acc = new Map<string, { calls: number; allowed: number; denials: number; errors: number; latencies: number[] }>();
  let withOutcome = 0;
  for (const e of entries) {
    const key = usageKey(e, by);
    const row = acc.get(key) ?? { calls: 0, allowed: 0, denials: 0, errors: 0, latencies: [] };
    acc.set(key, row);
    row.calls++;
    if (e.decision === 'deny') {
      row.denials++;
      continue;
    }
    row.allowed++;
    const outcome = e.request ? outcomes.get(e.request) : undefined;
    if (!outcome) continue;
    withOutcome++;
    if (outcome.status >= 400) row.errors++;
    row.latencies.push(outcome.durationMs);
  }
  const rows = [...acc].map(([key, r]) => {
    const sorted = r.latencies.sort((a, b) => a - b);
    const ms = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
    return { key, calls: r.calls, allowed: r.allowed, denials: r.denials, errors: r.errors, p50Ms: ms(quantile(sorted, 0.5)), p95Ms: ms(quantile(sorted, 0.95)) };
  });
  rows.sort((a, b) => b.calls - a.calls || (a.key < b.key ? -1 : 1));
  return { rows, withOutcome };
}

export async function usageReport(layout: StateLayout, options: { since: Date; by: UsageDimension; service?: string }): Promise<UsageReport> {
  const outcomes = await requestOutcomes(layout.accessLog, options.since);
  const entries: AuditEntry[] = [];
  for await (const e of queryAudit(layout.auditLog, { since: options.since, service: options.service })) entries.push(e);
  const { rows, withOutcome } = aggregateUsage(entries, outcomes, options.by);
  return { since: options.since.toISOString(), by: options.by, rows, withOutcome };
}
