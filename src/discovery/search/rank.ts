// Pure ranking: reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009) of the lists
// each ranker returns. A tool scores Σ 1 / (k + its rank in a list), so BM25's unbounded scores
// and cosines that crowd together are never put on one scale, and no weight has to be tuned to
// a corpus. k = 60 is the paper's value: the top of a list counts, its tail still adds up.
import type { Hit } from './search-index.js';

export type RankMode = 'hybrid' | 'text' | 'vector';

/** The rankers: BM25F over the query's words (spelling corrected), BM25F over words similar in meaning, embedding cosine, word-by-word match. */
export type ListName = 'text' | 'expanded' | 'vector' | 'words';

export const RRF_K = 60;

export interface RankedHit {
  id: string;
  /** Σ over lists of 1 / (RRF_K + rank). */
  score: number;
  /** Rank (1 = best) in each list that holds the tool. */
  ranks: Partial<Record<ListName, number>>;
  /** Each list's own score for the tool (BM25F, cosine, word match). */
  scores: Partial<Record<ListName, number>>;
}

/** Ties are broken by id in code-unit order: localeCompare would load ICU's collator, ~10 ms on a cold `find`. */
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Fuse ranked lists (each best first) into one ranking. */
export function fuse(lists: Partial<Record<ListName, readonly Hit[]>>, k = RRF_K): RankedHit[] {
  const fused = new Map<string, RankedHit>();
  for (const [name, hits] of Object.entries(lists) as [ListName, readonly Hit[]][]) {
    hits.forEach((hit, i) => {
      let entry = fused.get(hit.id);
      if (!entry) fused.set(hit.id, (entry = { id: hit.id, score: 0, ranks: {}, scores: {} }));
      entry.score += 1 / (k + i + 1);
      entry.ranks[name] = i + 1;
      entry.scores[name] = hit.score;
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || byId(a.id, b.id));
}

/** Hits sorted best first by a score per id (ties by id). */
export function rankedHits(scores: ReadonlyMap<string, number>): Hit[] {
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || byId(a.id, b.id));
}
