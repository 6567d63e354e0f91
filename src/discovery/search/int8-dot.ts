// Dot products of one query with many int8 rows of the index's vector block, by the WebAssembly
// SIMD kernel int8-dot.wat (built into dist by `npm run build`): eight multiply-adds per
// instruction where a JavaScript loop does one, which made the cosine scan most of a warm query.
// The block is copied into the kernel's memory once per opened index; the query is scaled to
// int16, which changes no ranking the int8 rows can tell apart (2^-14 of the query's largest value).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** dist/discovery/search/int8-dot.wasm, reached from src (tsx) and dist alike. */
export const INT8_DOT_FILE = fileURLToPath(new URL('../../../dist/discovery/search/int8-dot.wasm', import.meta.url));
/** The query's largest value becomes this: 127 · 2^14 · 1024 dimensions stays inside i32. */
const QUERY_SCALE = 16_383;
const MAX_DIMENSIONS = 1024;

interface Kernel {
  memory: WebAssembly.Memory;
  dots(vectors: number, dims: number, ids: number, n: number, query: number, out: number): void;
}

let compiled: WebAssembly.Module | undefined;

function kernel(): Kernel {
  try {
    compiled ??= new WebAssembly.Module(readFileSync(INT8_DOT_FILE));
  } catch (err) {
    throw new Error(`the search kernel ${INT8_DOT_FILE} is missing or unreadable (${(err as Error).message}): run \`npm run build\` in the mcpgw checkout`);
  }
  return new WebAssembly.Instance(compiled).exports as unknown as Kernel;
}

const align16 = (n: number) => (n + 15) & ~15;

/** One vector block in the kernel's memory: rows, then the query, the row numbers and the sums. */
export class Int8Rows {
  private readonly kernel = kernel();
  private readonly queryAt: number;
  private readonly idsAt: number;
  private readonly outAt: number;
  private readonly query: Int16Array;
  private readonly ids: Uint32Array;
  private readonly out: Int32Array;
  private scale = 0;

  private constructor(vectors: Int8Array, readonly dims: number, count: number) {
    if (dims > MAX_DIMENSIONS) throw new Error(`vectors of ${dims} dimensions: the search kernel takes at most ${MAX_DIMENSIONS}`);
    this.queryAt = align16(vectors.length);
    this.idsAt = align16(this.queryAt + dims * 2);
    this.outAt = this.idsAt + count * 4;
    const { memory } = this.kernel;
    const needed = this.outAt + count * 4;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65_536));
    new Int8Array(memory.buffer, 0, vectors.length).set(vectors);
    this.query = new Int16Array(memory.buffer, this.queryAt, dims);
    this.ids = new Uint32Array(memory.buffer, this.idsAt, count);
    this.out = new Int32Array(memory.buffer, this.outAt, count);
  }

  private static readonly opened = new WeakMap<Int8Array, Int8Rows>();

  /** The kernel's copy of a block of `count` rows of `dims` int8 values (made once per block). */
  static of(vectors: Int8Array, dims: number): Int8Rows {
    let rows = Int8Rows.opened.get(vectors);
    if (!rows) Int8Rows.opened.set(vectors, (rows = new Int8Rows(vectors, dims, vectors.length / dims)));
    return rows;
  }

  /** Set the query the next `dots` calls use (any scale: only its direction matters to a cosine). */
  setQuery(vector: Float32Array): void {
    let largest = 0;
    for (let d = 0; d < this.dims; d++) largest = Math.max(largest, Math.abs(vector[d]!));
    this.scale = largest > 0 ? largest / QUERY_SCALE : 0;
    for (let d = 0; d < this.dims; d++) this.query[d] = this.scale > 0 ? Math.round(vector[d]! / this.scale) : 0;
  }

  /** For each row number in `docs` (at most the block's rows): scores[row] = its dot product with the query × weights[row]. */
  dots(docs: readonly number[], weights: Float32Array, scores: Float64Array): void {
    const n = docs.length;
    for (let i = 0; i < n; i++) this.ids[i] = docs[i]!;
    this.kernel.dots(0, this.dims, this.idsAt, n, this.queryAt, this.outAt);
    for (let i = 0; i < n; i++) {
      const doc = docs[i]!;
      scores[doc] = this.out[i]! * this.scale * weights[doc]!;
    }
  }
}
