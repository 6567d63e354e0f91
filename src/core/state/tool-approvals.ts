// Tool pinning: for a `pin_tools: true` service only approved versions of tools are usable;
// a new or rewritten tool is withheld (hidden from search, denied by authd) until
// `mcpgw tools approve`. The first probe's tools are trusted (trust on first use).
import type { ServiceDefinition, ToolDefinition } from '../config/service.js';
import { writeFileAtomic } from '../config/atomic-file.js';
import type { StateLayout } from './layout.js';
import { readJson, readSnapshot } from './snapshots.js';
import { isShareable } from './list-caching.js';
import { NoSnapshotError, UnknownToolError } from './tool-approval-errors.js';
import { changedFields, toolFingerprint } from './tool-diff.js';

export interface ToolApprovals {
  service: string;
  approvedAt: string;
  /** `first-probe` when pinning started from the first tools seen; `operator` after `tools approve`. */
  approvedBy: 'first-probe' | 'operator';
  tools: ToolDefinition[];
}

export interface WithheldTool {
  name: string;
  reason: 'new' | 'changed';
  /** For a changed tool: the fields that differ from the approved version. */
  fields?: string[];
  tool: ToolDefinition;
}

export interface UsableTools {
  /** Tools agents may see and call. */
  tools: ToolDefinition[];
  /** Tools the server offers that wait for approval. */
  withheld: WithheldTool[];
}

export type PinnableService = Pick<ServiceDefinition, 'name' | 'pin_tools' | 'tools'>;

export function readApprovals(layout: StateLayout, service: string): Promise<ToolApprovals | undefined> {
  return readJson<ToolApprovals>(layout.approvalsFile(service));
}

export function writeApprovals(layout: StateLayout, approvals: ToolApprovals): Promise<void> {
  return writeFileAtomic(layout.approvalsFile(approvals.service), `${JSON.stringify(approvals, null, 2)}\n`);
}

/** Pure: split the current tools into approved ones and withheld ones. */
export function partitionByApproval(current: readonly ToolDefinition[], approved: readonly ToolDefinition[]): UsableTools {
  const byName = new Map(approved.map((t) => [t.name, t]));
  const result: UsableTools = { tools: [], withheld: [] };
  for (const tool of current) {
    const ok = byName.get(tool.name);
    if (!ok) result.withheld.push({ name: tool.name, reason: 'new', tool });
    else if (toolFingerprint(ok) === toolFingerprint(tool)) result.tools.push(tool);
    else result.withheld.push({ name: tool.name, reason: 'changed', fields: changedFields(ok, tool), tool });
  }
  return result;
}

/**
 * The tools of a service that agents may use now: search hides `withheld`, authd denies them.
 * Without a snapshot the static `tools:` of the definition (reviewed in git) are used, and so
 * when the server marked its list `cacheScope: private` (it may differ per caller).
 */
export async function usableTools(layout: StateLayout, service: PinnableService): Promise<UsableTools> {
  const snapshot = await readSnapshot(layout, service.name);
  // A `private` list is what the probe's own identity may see: never shown to anyone else.
  const shared = snapshot && isShareable(snapshot.caching) ? snapshot : undefined;
  const current = shared?.tools ?? service.tools ?? [];
  if (snapshot && !shared) return { tools: [...current], withheld: [] };
  if (!service.pin_tools || !snapshot) return { tools: [...current], withheld: [] };
  const approvals = await readApprovals(layout, service.name);
  return partitionByApproval(current, approvals?.tools ?? []);
}

/**
 * Approve the current snapshot's tools (all, or only those named). Approving a subset keeps
 * earlier approvals of the others. Returns the approval record written.
 */
export async function approveTools(layout: StateLayout, service: string, names?: string[], now = new Date()): Promise<ToolApprovals> {
  const snapshot = await readSnapshot(layout, service);
  if (!snapshot) throw new NoSnapshotError(service);
  const current = new Map(snapshot.tools.map((t) => [t.name, t]));
  for (const name of names ?? []) if (!current.has(name)) throw new UnknownToolError(service, name, [...current.keys()]);
  let tools = snapshot.tools;
  if (names?.length) {
    const previous = (await readApprovals(layout, service))?.tools ?? [];
    const chosen = new Set(names);
    tools = [...previous.filter((t) => !chosen.has(t.name)), ...names.map((n) => current.get(n)!)];
  }
  const approvals: ToolApprovals = { service, approvedAt: now.toISOString(), approvedBy: 'operator', tools };
  await writeApprovals(layout, approvals);
  return approvals;
}
