// Writes probe outcomes into the state dir: the tool snapshot (and the diff against the last
// one), the approvals of a newly pinned service, and health.json. Writes are atomic and each
// file is locked, so a `mcpgw probe` beside the gateway's probe loop loses nothing.
import type { ServiceDefinition } from '../../core/config/service.js';
import { withFileLock, writeFileAtomic } from '../../core/config/atomic-file.js';
import type { StateLayout } from '../../core/state/layout.js';
import { readHealth, readSnapshot, type ServiceHealth, type ToolSnapshot } from '../../core/state/snapshots.js';
import type { ProbeOutcome } from './probe-service.js';
import { appendToolChange, type ToolChangeRecord } from './tool-change-log.js';
import { diffTools, isEmptyDiff } from '../../core/state/tool-diff.js';
import { readApprovals, writeApprovals } from '../../core/state/tool-approvals.js';

export interface RecordedProbe extends ProbeOutcome {
  health: ServiceHealth;
  /** Health before this check (undefined the first time). */
  previous?: ServiceHealth;
  /** Set when the tool list differs from the last snapshot. */
  toolChange?: ToolChangeRecord;
}

async function recordSnapshot(layout: StateLayout, svc: ServiceDefinition, outcome: ProbeOutcome): Promise<ToolChangeRecord | undefined> {
  const tools = outcome.tools;
  if (outcome.health.status !== 'healthy' || !tools) return undefined;
  const file = layout.snapshotFile(svc.name);
  return withFileLock(file, async () => {
    const before = await readSnapshot(layout, svc.name);
    const snapshot: ToolSnapshot = {
      service: svc.name,
      checkedAt: outcome.health.checkedAt,
      protocolVersion: outcome.health.protocolVersion,
      serverInfo: outcome.health.serverInfo,
      tools,
      ...(outcome.caching ? { caching: outcome.caching } : {}),
    };
    await writeFileAtomic(file, `${JSON.stringify(snapshot, null, 2)}\n`);
    if (svc.pin_tools && !(await readApprovals(layout, svc.name))) {
      await writeApprovals(layout, { service: svc.name, approvedAt: snapshot.checkedAt, approvedBy: 'first-probe', tools });
    }
    if (!before) return undefined;
    const diff = diffTools(before.tools, tools);
    if (isEmptyDiff(diff)) return undefined;
    const record: ToolChangeRecord = { service: svc.name, detectedAt: snapshot.checkedAt, ...diff };
    await appendToolChange(layout, record);
    return record;
  });
}

/** Merge this round's results into health.json; `failures` counts consecutive failed checks. */
async function recordHealth(layout: StateLayout, outcomes: ProbeOutcome[]): Promise<Map<string, { now: ServiceHealth; previous?: ServiceHealth }>> {
  const merged = new Map<string, { now: ServiceHealth; previous?: ServiceHealth }>();
  await withFileLock(layout.healthFile, async () => {
    const health = await readHealth(layout);
    for (const outcome of outcomes) {
      const previous = health[outcome.service];
      const failures = outcome.health.status === 'healthy' ? 0 : (previous?.failures ?? 0) + 1;
      const now: ServiceHealth = { ...outcome.health, failures };
      health[outcome.service] = now;
      merged.set(outcome.service, { now, previous });
    }
    await writeFileAtomic(layout.healthFile, `${JSON.stringify(health, null, 2)}\n`);
  });
  return merged;
}

export async function recordProbes(layout: StateLayout, services: ServiceDefinition[], outcomes: ProbeOutcome[]): Promise<RecordedProbe[]> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const changes = await Promise.all(outcomes.map((o) => recordSnapshot(layout, byName.get(o.service)!, o)));
  const health = await recordHealth(layout, outcomes);
  return outcomes.map((o, i) => {
    const h = health.get(o.service)!;
    return { ...o, health: h.now, previous: h.previous, toolChange: changes[i] };
  });
}
