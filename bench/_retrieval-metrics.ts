// Per-query retrieval metrics (recall@k, nDCG@10 with binary relevance) and a paired bootstrap
// interval for the mean difference of two rankers over the same queries.
import type { LabelledQuery, QueryKind } from './_bench-sets.js';

export interface QueryScores {
  recallAt1: number;
  recallAt5: number;
  recallAt10: number;
  ndcgAt10: number;
}

/** Metrics of one ranked list of tool ids for one query. A group is credited once, at its first hit. */
export function scoreQuery(ranked: readonly string[], query: LabelledQuery, recall: QueryKind['recall']): QueryScores {
  const firstHit = query.groups.map((g) => {
    const at = ranked.findIndex((id) => g.includes(id));
    return at < 0 ? Infinity : at + 1;
  });
  const recallAt = (k: number) => {
    const found = firstHit.filter((r) => r <= k).length;
    return recall === 'any' ? (found > 0 ? 1 : 0) : found / firstHit.length;
  };
  // Each rank position holds one tool, so distinct groups credited at one position count once.
  const creditedRanks = [...new Set(firstHit.filter((r) => r <= 10))];
  const dcg = creditedRanks.reduce((s, r) => s + 1 / Math.log2(r + 1), 0);
  let ideal = 0;
  for (let i = 0; i < Math.min(10, query.groups.length); i++) ideal += 1 / Math.log2(i + 2);
  return { recallAt1: recallAt(1), recallAt5: recallAt(5), recallAt10: recallAt(10), ndcgAt10: ideal > 0 ? dcg / ideal : 0 };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function meanScores(scores: readonly QueryScores[]): QueryScores {
  const mean = (key: keyof QueryScores) => round3(scores.reduce((s, q) => s + q[key], 0) / (scores.length || 1));
  return { recallAt1: mean('recallAt1'), recallAt5: mean('recallAt5'), recallAt10: mean('recallAt10'), ndcgAt10: mean('ndcgAt10') };
}

/** A small seeded generator (mulberry32): the interval is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mean of `a − b` over paired queries, and its 95% percentile interval from `rounds` resamples. */
export function pairedBootstrap(a: readonly number[], b: readonly number[], rounds = 2000, seed = 19): { mean: number; low: number; high: number } {
  const diffs = a.map((x, i) => x - b[i]!);
  const n = diffs.length;
  const next = random(seed);
  const means = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(next() * n)]!;
    means[r] = sum / (n || 1);
  }
  means.sort();
  return { mean: round3(diffs.reduce((s, d) => s + d, 0) / (n || 1)), low: round3(means[Math.floor(0.025 * rounds)]!), high: round3(means[Math.floor(0.975 * rounds)]!) };
}
