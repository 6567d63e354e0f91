// Pure BM25F (Robertson, Zaragoza & Taylor, 2004) over the index's per-field inverted lists. A
// term's frequencies in each field are length-normalised with that field's own b, weighted, and
// summed before one saturation: a word said three times in a long description counts little more
// than once, and cannot outweigh the same word in the tool's name. One document frequency per
// term (documents holding it in any field) gives one idf.

/** k1: how fast repeated words saturate; the textbook value. */
export const BM25_K1 = 1.2;

export function idf(documentFrequency: number, documentCount: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** One text field's inverted index, as the compact index file holds it. */
export interface FieldPostings {
  /** Position of `term` in the field's sorted vocabulary, or -1. */
  termIndex(term: string): number;
  /** Documents (by number) that contain term `term`, ascending. */
  postings(term: number): Uint32Array;
  /** How often the term occurs in each of those documents (same order). */
  frequencies(term: number): Uint16Array;
  /** Terms of each document's field, repeats counted (0: empty field). */
  readonly lengths: Uint32Array;
  readonly averageLength: number;
}

export interface WeightedField {
  field: FieldPostings;
  /** How much one occurrence in this field counts. */
  weight: number;
  /** Length normalisation (0: none, 1: full). */
  b: number;
}

/** A query term and its weight (1 for the query's own words; less for corrections and expansions). */
export type QueryTerms = ReadonlyMap<string, number>;

/**
 * Scores of every document that holds a query term in some field; `accept` (optional) skips
 * documents a filter excludes. Returns the documents touched and a score array indexed by
 * document number.
 */
export function scoreBm25f(fields: readonly WeightedField[], terms: QueryTerms, documentCount: number, accept?: (doc: number) => boolean): { docs: number[]; scores: Float64Array } {
  const scores = new Float64Array(documentCount);
  const docs: number[] = [];
  const pseudoFrequency = new Float64Array(documentCount);
  for (const [term, queryWeight] of terms) {
    const touched: number[] = [];
    for (const { field, weight, b } of fields) {
      const t = field.termIndex(term);
      if (t < 0) continue;
      const postings = field.postings(t);
      const frequencies = field.frequencies(t);
      const average = field.averageLength || 1;
      for (let i = 0; i < postings.length; i++) {
        const doc = postings[i]!;
        if (pseudoFrequency[doc] === 0) touched.push(doc);
        pseudoFrequency[doc]! += (weight * frequencies[i]!) / (1 - b + (b * field.lengths[doc]!) / average);
      }
    }
    const termIdf = idf(touched.length, documentCount);
    for (const doc of touched) {
      const tf = pseudoFrequency[doc]!;
      pseudoFrequency[doc] = 0;
      if (accept && !accept(doc)) continue;
      if (scores[doc] === 0) docs.push(doc);
      scores[doc]! += (queryWeight * termIdf * tf * (BM25_K1 + 1)) / (BM25_K1 + tf);
    }
  }
  return { docs, scores };
}
