// The one interface every embedder implements (bundled word vectors, Universal Sentence
// Encoder, any OpenAI-compatible endpoint), and the error a missing or failing model raises.
import { McpgwError } from '../../core/errors.js';

export interface Embedder {
  /** Changes whenever the vectors would: the index is rebuilt when it differs from the stored one. */
  readonly id: string;
  /** One vector per text, all of the same length. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** True for averaged word vectors, which blur on a long request: its cosine list is then left out. */
  readonly blursOnLongText?: boolean;
  /**
   * True when a text's vector leaves out the words the embedder's WordMatcher does not `know`
   * (averaged word vectors): a product name or a word in another script is then invisible to it.
   */
  readonly dropsUnknownWords?: boolean;
  /** False when vectors are compared as they come: subtracting the corpus mean (below) costs a sentence encoder meaning. */
  readonly centerOnCorpus?: boolean;
}

/** Embedders built on word vectors can also compare a query and a document word by word. */
export interface WordMatcher {
  /**
   * Prepared once per query, then called for each candidate: 0…1, how closely the document's
   * words cover the query's (rarer query words count more).
   */
  queryMatcher(queryWords: readonly string[]): (documentWords: readonly string[]) => number;
  /** Does the embedder know this word? (A query none of whose words it knows carries no meaning for it.) */
  knows(word: string): boolean;
  /** How much the word's rarity lets it count, 0…1 (frequent words little; 1 for a word the vectors lack). */
  rarity(word: string): number;
  /** Words of `vocabulary` at least `minCosine` close to `word`, closest first, at most `limit`, each with its cosine. */
  similarWords(word: string, vocabulary: readonly string[], minCosine: number, limit: number): [string, number][];
}

export function isWordMatcher(embedder: unknown): embedder is WordMatcher {
  return typeof (embedder as Partial<WordMatcher> | undefined)?.queryMatcher === 'function';
}

export type EmbedderErrorCode = 'ERR_EMBEDDER_MISSING' | 'ERR_EMBEDDER_FAILED' | 'ERR_EMBEDDER_CONFIG';

/** A model that cannot be used. `fix` says what to do; `find` falls back to full text and prints both. */
export class EmbedderError extends McpgwError {
  declare readonly code: EmbedderErrorCode;
  constructor(code: EmbedderErrorCode, message: string, readonly fix: string, options?: { cause?: unknown }) {
    super(code, message, code === 'ERR_EMBEDDER_CONFIG' ? 'invalid-input' : 'unavailable', { hint: fix, cause: options?.cause });
  }
}

/** The warning `find` prints when it searches without the model. */
export function fullTextFallbackWarning(err: EmbedderError): string {
  return `${err.message} — searching by full text only; fix: ${err.fix}`;
}

export function l2Normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}

/**
 * Averaged embeddings share a large common direction, which crowds every cosine together.
 * Subtracting the corpus mean (the "common component" of Arora et al.) spreads them out.
 */
export function meanVector(vectors: readonly Float32Array[]): number[] {
  const dims = vectors[0]?.length ?? 0;
  const mean = new Float64Array(dims);
  for (const v of vectors) for (let d = 0; d < dims; d++) mean[d]! += v[d]! / vectors.length;
  return Array.from(mean, (x) => Math.round(x * 1e5) / 1e5);
}

export function centered(vector: Float32Array, center: readonly number[] | undefined): Float32Array {
  if (!center?.length) return vector;
  return l2Normalize(vector.map((x, d) => x - center[d]!));
}
