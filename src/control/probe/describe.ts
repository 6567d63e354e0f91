// One-line descriptions of health and tool changes for people (CLI, web UI). Pure.
import type { ServiceHealth } from '../../core/state/snapshots.js';
import { canonicalJson } from '../../core/config/canonical-json.js';
import type { ToolDiff } from '../../core/state/tool-diff.js';

/** "healthy", "unhealthy: connection refused (127.0.0.1:9000)", "timeout: no answer within 5000 ms". */
export function describeHealth(health: Pick<ServiceHealth, 'status' | 'reason'> | undefined): string {
  if (!health) return 'unknown';
  return health.reason && health.status !== 'healthy' ? `${health.status}: ${health.reason}` : health.status;
}

/** "3 s ago", "5 min ago", "2 h ago", "4 d ago". */
export function describeAge(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** "added get_alerts; removed ping; changed get_forecast (description)". */
export function summarizeDiff(diff: ToolDiff): string {
  const parts: string[] = [];
  if (diff.added.length) parts.push(`added ${diff.added.map((t) => t.name).join(', ')}`);
  if (diff.removed.length) parts.push(`removed ${diff.removed.map((t) => t.name).join(', ')}`);
  if (diff.changed.length) parts.push(`changed ${diff.changed.map((c) => `${c.name} (${c.fields.join(', ')})`).join(', ')}`);
  return parts.join('; ');
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : value === undefined ? '(none)' : canonicalJson(value);
}

/** The lines of a diff, unified-diff style: "+ tool", "- tool", "~ tool.field: before → after". */
export function diffLines(diff: ToolDiff): string[] {
  const lines: string[] = [];
  for (const t of diff.added) lines.push(`+ ${t.name}: ${show(t.description)}`);
  for (const t of diff.removed) lines.push(`- ${t.name}`);
  for (const c of diff.changed) {
    for (const field of c.fields) {
      lines.push(`~ ${c.name}.${field}`);
      lines.push(`    - ${show(c.before[field])}`);
      lines.push(`    + ${show(c.after[field])}`);
    }
  }
  return lines;
}
