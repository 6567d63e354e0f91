// Pure: the k best of many scored candidates without sorting them all, which matters when
// every one of 10,000 documents has a cosine: the k-th best score is found by quickselect
// (linear on average), and only the candidates at or above it are sorted.

/** The `k` candidates with the highest `scores[candidate]`, best first; ties keep the lower candidate first. */
export function topK(candidates: readonly number[], scores: Float64Array, k: number): number[] {
  if (k <= 0 || candidates.length === 0) return [];
  let picked = candidates;
  if (candidates.length > k) {
    const values = new Float64Array(candidates.length);
    for (let i = 0; i < candidates.length; i++) values[i] = scores[candidates[i]!]!;
    const threshold = kthLargest(values, k);
    picked = candidates.filter((c) => scores[c]! >= threshold);
  }
  return [...picked].sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, k);
}

/** The k-th largest value (1-based); reorders `values`. */
export function kthLargest(values: Float64Array, k: number): number {
  const target = values.length - k; // its index in ascending order
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target]!;
}
