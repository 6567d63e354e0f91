// Pure: the k best of many scored candidates without sorting them all (a bounded min-heap),
// which matters when every one of 10,000 documents has a cosine.

/** The `k` candidates with the highest `score`, best first; ties keep the lower candidate first. */
export function topK(candidates: Iterable<number>, score: (candidate: number) => number, k: number): number[] {
  if (k <= 0) return [];
  const heap: number[] = [];
  const values: number[] = [];
  // "a is worse than b": lower score, or the same score and a later candidate.
  const worse = (i: number, j: number) => values[i]! < values[j]! || (values[i] === values[j] && heap[i]! > heap[j]!);
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j]!, heap[i]!];
    [values[i], values[j]] = [values[j]!, values[i]!];
  };
  for (const candidate of candidates) {
    const value = score(candidate);
    if (heap.length < k) {
      heap.push(candidate);
      values.push(value);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
      continue;
    }
    if (value < values[0]! || (value === values[0] && candidate > heap[0]!)) continue;
    heap[0] = candidate;
    values[0] = value;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && worse(left, least)) least = left;
      if (right < heap.length && worse(right, least)) least = right;
      if (least === i) break;
      swap(i, least);
      i = least;
    }
  }
  const order = heap.map((candidate, i) => ({ candidate, value: values[i]! }));
  order.sort((a, b) => b.value - a.value || a.candidate - b.candidate);
  return order.map((o) => o.candidate);
}
