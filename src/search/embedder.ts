// The one interface every embedder implements (bundled word vectors, Universal Sentence
// Encoder, any OpenAI-compatible endpoint), and the error a missing or failing model raises.

export interface Embedder {
  /** Changes whenever the vectors would: the index is rebuilt when it differs from the stored one. */
  readonly id: string;
  /** One vector per text, all of the same length. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export type EmbedderErrorCode = 'ERR_EMBEDDER_MISSING' | 'ERR_EMBEDDER_FAILED' | 'ERR_EMBEDDER_CONFIG';

/** A model that cannot be used. `fix` says what to do; `find` falls back to full text and prints both. */
export class EmbedderError extends Error {
  constructor(readonly code: EmbedderErrorCode, message: string, readonly fix: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbedderError';
  }
}

export function l2Normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}
