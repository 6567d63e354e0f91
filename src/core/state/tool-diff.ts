// Tool changes are a security signal (tool poisoning, rug pulls): compare two tool lists and
// say which tools were added, removed or rewritten, and in which fields. Pure.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../config/canonical-json.js';
import type { ToolDefinition } from '../config/service.js';

/** Fields compared between two versions of a tool; `_meta` is excluded because servers may vary it per listing. */
const IGNORED_FIELDS = new Set(['_meta']);

export interface ToolRewrite {
  name: string;
  /** Top-level fields that differ, e.g. ["description", "inputSchema"]. */
  fields: string[];
  before: ToolDefinition;
  after: ToolDefinition;
}

export interface ToolDiff {
  added: ToolDefinition[];
  removed: ToolDefinition[];
  changed: ToolRewrite[];
}

export function isEmptyDiff(diff: ToolDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

function comparable(tool: ToolDefinition): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tool).filter(([k]) => !IGNORED_FIELDS.has(k)));
}

/** A stable digest of everything an agent sees of a tool: what pinning approves. */
export function toolFingerprint(tool: ToolDefinition): string {
  return createHash('sha256').update(canonicalJson(comparable(tool))).digest('hex');
}

export function changedFields(before: ToolDefinition, after: ToolDefinition): string[] {
  const a = comparable(before);
  const b = comparable(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k]));
}

export function diffTools(before: readonly ToolDefinition[], after: readonly ToolDefinition[]): ToolDiff {
  const old = new Map(before.map((t) => [t.name, t]));
  const now = new Map(after.map((t) => [t.name, t]));
  const diff: ToolDiff = { added: [], removed: [], changed: [] };
  for (const [name, tool] of now) {
    const prev = old.get(name);
    if (!prev) {
      diff.added.push(tool);
      continue;
    }
    const fields = changedFields(prev, tool);
    if (fields.length) diff.changed.push({ name, fields, before: prev, after: tool });
  }
  for (const [name, tool] of old) if (!now.has(name)) diff.removed.push(tool);
  return diff;
}
