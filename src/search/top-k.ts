// Pure: the k best of many scored candidates without a comparator sort of them all, which
// matters when every one of 10,000 documents has a cosine: the k-th best score is found by
// the engine's native sort of a Float64Array, and only the candidates above it are ordered.

/** The `k` candidates with the highest `scores[candidate]`, best first; ties keep the lower candidate first. */
export function topK(candidates: readonly number[], scores: Float64Array, k: number): number[] {
  if (k <= 0 || candidates.length === 0) return [];
  let picked = candidates;
  if (candidates.length > k) {
    const values = new Float64Array(candidates.length);
    for (let i = 0; i < candidates.length; i++) values[i] = scores[candidates[i]!]!;
    values.sort();
    const threshold = values[values.length - k]!;
    picked = candidates.filter((c) => scores[c]! >= threshold);
  }
  return [...picked].sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, k);
}
