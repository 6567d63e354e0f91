// Pure: evidence for query terms that no document holds. A typo finds the indexed terms one edit
// away (two for long words: "caculate" → calculate); a compound finds its parts ("mindmap" →
// mind + map), and two adjacent query words find their compound ("mind map" → mindmap). Found
// terms join the query with less weight than the words the user typed.

/** Weight of a term reached by one edit, two edits, or by splitting a compound in two. */
const ONE_EDIT = 0.7;
const TWO_EDITS = 0.5;
const SPLIT_PART = 0.5;
/** Terms shorter than this are not corrected: "pr" and "id" are a letter away from too much. */
const MIN_LENGTH = 4;

/** Optimal string alignment distance (Levenshtein plus adjacent swaps), or `max + 1` once above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, previous2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    previous2 = previous;
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * Extra weighted terms for `queryTerms` (in query order) given which terms the index holds and,
 * only when some term is unknown, the index's vocabulary. Terms of dictionary words (an
 * embedder's vocabulary, when there is one) are split but not spelling-corrected.
 */
export function correctTerms(queryTerms: readonly string[], known: (term: string) => boolean, vocabulary: () => readonly string[], isDictionaryWord: (term: string) => boolean = () => false): Map<string, number> {
  const extra = new Map<string, number>();
  const add = (term: string, weight: number) => {
    if (!queryTerms.includes(term) && (extra.get(term) ?? 0) < weight) extra.set(term, weight);
  };
  for (let i = 0; i + 1 < queryTerms.length; i++) {
    const joined = queryTerms[i]! + queryTerms[i + 1]!;
    if (known(joined)) add(joined, 1);
  }
  for (const term of new Set(queryTerms)) {
    if (known(term) || term.length < MIN_LENGTH || !/^\p{L}+$/u.test(term)) continue;
    for (let cut = 3; cut <= term.length - 3; cut++) {
      const [head, tail] = [term.slice(0, cut), term.slice(cut)];
      if (known(head) && known(tail)) {
        add(head, SPLIT_PART);
        add(tail, SPLIT_PART);
      }
    }
    // A word the dictionary knows is no typo, only absent: correcting it would add noise.
    if (isDictionaryWord(term)) continue;
    const max = term.length >= 8 ? 2 : 1;
    for (const candidate of vocabulary()) {
      if (candidate.length < MIN_LENGTH) continue;
      const d = editDistance(term, candidate, max);
      if (d <= max) add(candidate, d === 1 ? ONE_EDIT : TWO_EDITS);
    }
  }
  return extra;
}
