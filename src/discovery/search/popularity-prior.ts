// An optional popularity prior for find / find_tools (search.popularity_prior, off by default):
// tools called more through the gateway in the last 30 days rank a little higher. A bounded
// multiplier on the relevance score, so it reorders near-ties and never lifts an irrelevant tool.
import { stateDirFor } from '../../core/config/project.js';
import { stateLayout } from '../../core/state/layout.js';
import { toolCallCounts } from '../../control/usage/activity.js';
import type { OpenedIndex } from './index-update.js';

const WINDOW_MS = 30 * 86_400_000;
/** At most +15 % for the most called tool; log-scaled below it. */
export const POPULARITY_WEIGHT = 0.15;

/** `server/tool` → allowed tools/call count, when the prior is on; undefined otherwise. */
export async function popularityPrior(opened: Pick<OpenedIndex, 'settings' | 'paths'>, now = Date.now()): Promise<ReadonlyMap<string, number> | undefined> {
  if (!opened.settings.search.popularity_prior) return undefined;
  return toolCallCounts(stateLayout(stateDirFor(opened.paths, opened.settings)), new Date(now - WINDOW_MS));
}

/** Pure: scale each hit by 1 + weight × log1p(calls) / log1p(most calls), and re-sort. */
export function applyPopularity<H extends { id: string; score: number }>(ranked: readonly H[], counts: ReadonlyMap<string, number>, weight = POPULARITY_WEIGHT): H[] {
  const most = Math.max(0, ...counts.values());
  if (most === 0) return [...ranked];
  const scaled = ranked.map((h) => ({ ...h, score: h.score * (1 + (weight * Math.log1p(counts.get(h.id) ?? 0)) / Math.log1p(most)) }));
  return scaled.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
