// Shared by the build scripts that derive bundled vectors (build-word-vectors.mjs,
// build-sentence-vectors.mjs): the "MCPGWWV4" sections file that src/discovery/search/word-vectors.ts
// reads. `offsets` (u32 per word, count + 1), `words` (sorted, concatenated) and `rows` (per word:
// u32 frequency rank, f32 scale, then the unit vector: 4 bits a dimension, two a byte, or with
// `bits: 8` one int8 a dimension; padded to 4). Sorted words let `find` look up a query's few
// words by binary search over the head of the file; their rows are then read one by one.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Quantisation levels either side of zero: 4 bits (averaged vectors barely notice) or 8. */
const LEVELS = { 4: 7, 8: 127 };

const align4 = (n) => (n + 3) & ~3;

/**
 * Write `entries` ({ word, rank, vector }) to `target`. `root` is the checkout (the writer is the
 * compiled binary-sections module, so run after tsc); `header` gets dimensions, count, rowBytes.
 */
export async function writeVectorFile(root, target, header, entries, dims, bits = 4) {
  const levels = LEVELS[bits];
  const sorted = entries.map((e) => ({ ...e, bytes: Buffer.from(e.word) })).sort((x, y) => Buffer.compare(x.bytes, y.bytes));
  const count = sorted.length;
  const offsets = new Uint32Array(count + 1);
  const rowBytes = align4(8 + (bits === 8 ? dims : Math.ceil(dims / 2)));
  const rows = Buffer.alloc(count * rowBytes);
  let offset = 0;
  sorted.forEach(({ rank, bytes, vector }, i) => {
    offsets[i] = offset;
    offset += bytes.length;
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += vector[d] * vector[d];
    norm = Math.sqrt(norm) || 1;
    let maxAbs = 0;
    for (let d = 0; d < dims; d++) maxAbs = Math.max(maxAbs, Math.abs(vector[d] / norm));
    maxAbs ||= 1;
    // Unit vectors with one scale per word: cosine similarity only needs the direction.
    const row = i * rowBytes;
    rows.writeUInt32LE(rank, row);
    rows.writeFloatLE(maxAbs / levels, row + 4);
    for (let d = 0; d < dims; d++) {
      const q = Math.round((vector[d] / norm / maxAbs) * levels);
      if (bits === 8) rows.writeInt8(q, row + 8 + d);
      else rows[row + 8 + (d >> 1)] |= d % 2 === 0 ? q + 8 : (q + 8) << 4;
    }
  });
  offsets[count] = offset;
  const words = Buffer.concat(sorted.map((s) => s.bytes));
  const { writeSections } = await import(pathToFileURL(join(root, 'dist', 'discovery', 'search', 'binary-sections.js')).href);
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, writeSections('MCPGWWV4', { ...header, dimensions: dims, count, bits, rowBytes }, { offsets, words, rows }));
  await rename(tmp, target);
}

/** The stamp in a vectors file's header, or undefined (no file, or not readable). */
export async function headerStamp(path) {
  try {
    const buf = await readFile(path);
    const length = buf.readUInt32LE(8);
    return JSON.parse(buf.subarray(12, 12 + length).toString('utf8')).stamp;
  } catch {
    return undefined;
  }
}

/** The words of the GloVe package, most frequent first, that look like plain words. */
export const WORD = /^[a-z][a-z0-9]*(?:['-][a-z0-9]+)*$/;
