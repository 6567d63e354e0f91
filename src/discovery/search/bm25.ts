// Pure BM25 over an inverted index, scored as Orama 3 scores its full-text fields (the ranking
// was tuned on it): each field counts a word once, so a word's frequency is 1 / (the field's
// distinct words); query words match every indexed word they begin ("rain" → "rainfall"); a
// document's score is the sum over words and fields of BM25 × the field's boost.

/** Orama's defaults: k1, b, and the BM25+ floor d. */
export const BM25_PARAMS = { k: 1.2, b: 0.75, d: 0.5 } as const;

export function bm25(tf: number, documentFrequency: number, documentCount: number, fieldLength: number, averageFieldLength: number): number {
  const { k, b, d } = BM25_PARAMS;
  const idf = Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
  return (idf * (d + tf * (k + 1))) / (tf + k * (1 - b + (b * fieldLength) / averageFieldLength));
}

/** One text field's inverted index, as the compact index file holds it. */
export interface FieldPostings {
  /** Terms [from, to) that begin with `prefix`, in the field's sorted vocabulary. */
  prefixRange(prefix: string): [number, number];
  /** Documents (by number) that contain term `term`. */
  postings(term: number): Uint32Array;
  /** Distinct words of each document's field (0: empty field). */
  readonly lengths: Uint32Array;
  readonly averageLength: number;
}

export interface WeightedField {
  field: FieldPostings;
  boost: number;
}

/**
 * Scores of every document that holds a query token in some field; `accept` (optional) skips
 * documents a filter excludes. Returns the sparse result: the documents touched and a score
 * array indexed by document number.
 */
export function scoreBm25(
  fields: readonly WeightedField[],
  queryTokens: readonly string[],
  documentCount: number,
  accept?: (doc: number) => boolean,
): { docs: number[]; scores: Float64Array } {
  const scores = new Float64Array(documentCount);
  const docs: number[] = [];
  for (const { field, boost } of fields) {
    for (const token of queryTokens) {
      const [from, to] = field.prefixRange(token);
      for (let term = from; term < to; term++) {
        const postings = field.postings(term);
        const df = postings.length;
        for (let i = 0; i < df; i++) {
          const doc = postings[i]!;
          if (accept && !accept(doc)) continue;
          const length = field.lengths[doc]!;
          if (scores[doc] === 0) docs.push(doc);
          scores[doc]! += boost * bm25(1 / length, df, documentCount, length, field.averageLength);
        }
      }
    }
  }
  return { docs, scores };
}
