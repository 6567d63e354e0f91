// The default embedder: GloVe word vectors averaged with weights that favour rare words (the
// "smooth inverse frequency" of Arora et al., 2017), so that "will it rain in Paris" is carried
// by "rain" and "paris". Offline, a few milliseconds per thousand texts.
import { contentWords } from './identifier-words.js';
import { l2Normalize, type Embedder } from './embedder.js';
import { WordVectors } from './word-vectors.js';

/** SIF's smoothing constant: words more frequent than about 1 in 1,000 lose most of their weight. */
const SIF_A = 1e-3;
/** Zipf's law: the n-th most frequent of ~400k GloVe words has probability ≈ 1 / (n · H). */
const ZIPF_H = Math.log(400_000) + 0.5772;

export function sifWeight(rank: number): number {
  const p = 1 / ((rank + 1) * ZIPF_H);
  return SIF_A / (SIF_A + p);
}

export class BundledEmbedder implements Embedder {
  readonly id: string;
  constructor(private readonly vectors: WordVectors) {
    this.id = `bundled:${vectors.header.stamp}`;
  }

  static async load(file?: string): Promise<BundledEmbedder> {
    return new BundledEmbedder(await WordVectors.load(file));
  }

  embedOne(text: string): Float32Array {
    const out = new Float32Array(this.vectors.dimensions);
    for (const word of contentWords(text)) {
      let index = this.vectors.find(word);
      if (index < 0) index = this.vectors.find(singular(word));
      if (index >= 0) this.vectors.addTo(out, index, sifWeight(this.vectors.rank(index)));
    }
    return l2Normalize(out);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }
}

/** A crude singular for words GloVe lacks in the plural form used ("repos" → "repo"). */
function singular(word: string): string {
  return word.endsWith('s') && word.length > 3 ? word.slice(0, -1) : word;
}
