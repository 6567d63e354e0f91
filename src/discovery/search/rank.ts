// Pure ranking: fuse full-text (BM25) and embedding (cosine) hits into one score. Each side is
// normalised first, because BM25 is unbounded and cosines of averaged vectors crowd together:
// text by its best hit, cosine between a reference candidate's and the best one's.

import type { Hit } from './search-index.js';

export type RankMode = 'hybrid' | 'text' | 'vector';

export interface RankWeights {
  text: number;
  vector: number;
  /** Share of a tool's score that its server's own document lends it. */
  server: number;
  /** Which vector hit (by position) counts as "unrelated": cosines at or below it score 0. */
  vectorFloorRank: number;
  /** Share of the final score given to word-by-word matching (embedders with word vectors). */
  words: number;
  /** How many fused candidates word matching reorders. */
  rerankDepth: number;
}

export const DEFAULT_WEIGHTS: RankWeights = { text: 0.4, vector: 0.6, server: 0.1, vectorFloorRank: 20, words: 0.4, rerankDepth: 100 };

export interface RankedHit {
  id: string;
  score: number;
  /** Word-by-word match (0…1) when the embedder offers it. */
  wordScore?: number;
  /** Raw BM25 score (0 when no word matched). */
  textScore: number;
  /** Raw cosine similarity (undefined without an embedder). */
  vectorScore?: number;
}

function normalizeText(hits: readonly Hit[]): Map<string, number> {
  const max = Math.max(0, ...hits.map((h) => h.score));
  return new Map(hits.map((h) => [h.id, max > 0 ? h.score / max : 0]));
}

function normalizeVector(hits: readonly Hit[], floorRank: number): Map<string, number> {
  const sorted = [...hits].sort((a, b) => b.score - a.score);
  const max = sorted[0]?.score ?? 0;
  const floor = sorted[Math.min(floorRank, sorted.length - 1)]?.score ?? 0;
  const span = max - floor;
  return new Map(sorted.map((h) => [h.id, span > 0 ? Math.max(0, (h.score - floor) / span) : 0]));
}

/** Ties are broken by id in code-unit order: localeCompare would load ICU's collator, ~10 ms on a cold `find`. */
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Server id of a tool document id ("<server>/<tool>"). */
const serverOf = (id: string) => id.slice(0, id.indexOf('/'));

/**
 * Fuse the two hit lists. `serverText`/`serverVector` are the hits of server documents: a tool
 * of a server that matches the query as a whole gets a share of that match.
 */
export function rank(
  mode: RankMode,
  hits: { text: readonly Hit[]; vector?: readonly Hit[]; serverText?: readonly Hit[]; serverVector?: readonly Hit[] },
  weights: RankWeights = DEFAULT_WEIGHTS,
): RankedHit[] {
  const useText = mode !== 'vector';
  const useVector = mode !== 'text' && hits.vector !== undefined && hits.vector.length > 0;
  const text = useText ? normalizeText(hits.text) : new Map<string, number>();
  const vector = useVector ? normalizeVector(hits.vector!, weights.vectorFloorRank) : new Map<string, number>();
  const wText = useText ? (useVector ? weights.text : 1) : 0;
  const wVector = useVector ? (useText ? weights.vector : 1) : 0;
  const server = new Map<string, number>();
  if (weights.server > 0) {
    const st = useText ? normalizeText(hits.serverText ?? []) : new Map<string, number>();
    const sv = useVector ? normalizeVector(hits.serverVector ?? [], Math.min(weights.vectorFloorRank, 5)) : new Map<string, number>();
    for (const id of new Set([...st.keys(), ...sv.keys()])) server.set(id, wText * (st.get(id) ?? 0) + wVector * (sv.get(id) ?? 0));
  }
  const rawText = new Map(hits.text.map((h) => [h.id, h.score]));
  const rawVector = new Map((hits.vector ?? []).map((h) => [h.id, h.score]));
  const ids = new Set([...text.keys(), ...vector.keys()]);
  const ranked: RankedHit[] = [];
  for (const id of ids) {
    const own = wText * (text.get(id) ?? 0) + wVector * (vector.get(id) ?? 0);
    const score = (1 - weights.server) * own + weights.server * (server.get(serverOf(id)) ?? 0);
    if (own <= 0) continue;
    ranked.push({ id, score, textScore: rawText.get(id) ?? 0, ...(rawVector.has(id) && { vectorScore: rawVector.get(id) }) });
  }
  return ranked.sort((a, b) => b.score - a.score || byId(a.id, b.id));
}

/**
 * Reorder the leading candidates by word-by-word match: its score is spread between the
 * candidates' lowest and highest, then mixed in with `weight`.
 */
export function rerankByWords(ranked: readonly RankedHit[], wordScores: ReadonlyMap<string, number>, weight: number): RankedHit[] {
  const scored = ranked.filter((h) => wordScores.has(h.id));
  const values = scored.map((h) => wordScores.get(h.id)!);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const top = Math.max(0, ...scored.map((h) => h.score));
  const reranked = scored.map((h) => {
    const words = wordScores.get(h.id)!;
    const normalized = hi > lo ? (words - lo) / (hi - lo) : 0;
    return { ...h, wordScore: words, score: (1 - weight) * (top > 0 ? h.score / top : 0) + weight * normalized };
  });
  reranked.sort((a, b) => b.score - a.score || byId(a.id, b.id));
  return [...reranked, ...ranked.filter((h) => !wordScores.has(h.id))];
}
