// Pure: the k best of many scored candidates without a comparator sort of them all, which
// matters when every one of 10,000 documents has a cosine: the k-th best score is found by
// the engine's native sort of a Float64Array, and only the candidates above it are ordered.

/** The `k` candidates with the highest `score`, best first; ties keep the lower candidate first. */
export function topK(candidates: readonly number[], score: (candidate: number) => number, k: number): number[] {
  if (k <= 0 || candidates.length === 0) return [];
  const values = Float64Array.from(candidates, score);
  let picked = candidates;
  if (candidates.length > k) {
    const sorted = values.slice().sort();
    const threshold = sorted[sorted.length - k]!;
    picked = candidates.filter((_, i) => values[i]! >= threshold);
  }
  const scoreOf = new Map(picked.map((c) => [c, score(c)]));
  return [...picked].sort((a, b) => scoreOf.get(b)! - scoreOf.get(a)! || a - b).slice(0, k);
}
