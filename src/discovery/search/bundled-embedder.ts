// The default embedder: GloVe word vectors averaged with weights that favour rare words (the
// "smooth inverse frequency" of Arora et al., 2017), so that "will it rain in Paris" is carried
// by "rain" and "paris". Offline, a few milliseconds per thousand texts.
import { contentWords } from './identifier-words.js';
import { l2Normalize, type Embedder, type WordMatcher } from './embedder.js';
import { WordVectors } from './word-vectors.js';

/** SIF's smoothing constant: words more frequent than about 1 in 1,000 lose most of their weight. */
const SIF_A = 1e-3;
/** Zipf's law: the n-th most frequent of ~400k GloVe words has probability ≈ 1 / (n · H). */
const ZIPF_H = Math.log(400_000) + 0.5772;

export function sifWeight(rank: number): number {
  const p = 1 / ((rank + 1) * ZIPF_H);
  return SIF_A / (SIF_A + p);
}

export class BundledEmbedder implements Embedder, WordMatcher {
  readonly id: string;
  readonly blursOnLongText = true;
  readonly dropsUnknownWords = true;
  private readonly unitVectors = new Map<string, { vector: Float32Array; weight: number } | null>();
  private readonly vocabularies = new WeakMap<readonly string[], [string, Float32Array][]>();
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

  private wordVector(word: string): { vector: Float32Array; weight: number } | null {
    let entry = this.unitVectors.get(word);
    if (entry === undefined) {
      let index = this.vectors.find(word);
      if (index < 0) index = this.vectors.find(singular(word));
      entry = index < 0 ? null : { vector: this.vectors.unitVector(index), weight: sifWeight(this.vectors.rank(index)) };
      this.unitVectors.set(word, entry);
    }
    return entry;
  }

  /**
   * How well a document's words cover the query's, word by word: for each query word its best
   * cosine with any document word, weighted by rarity. Unlike one averaged vector, a single
   * close word ("folder" ~ "directory") counts fully however long the document is. Candidates
   * share most of their words, so each word's cosines with the query are computed once.
   */
  queryMatcher(queryWords: readonly string[]): (documentWords: readonly string[]) => number {
    // A word the vectors lack (a product name, `deepwiki`, `pptx`) still matches itself, as
    // rarely as words come: weight 1, the limit of the rarity weight.
    const query = [...new Set(queryWords)].map((word) => ({ word, vector: this.wordVector(word)?.vector, weight: this.rarity(word) }));
    const weights = query.reduce((sum, q) => sum + q.weight, 0);
    const cosines = new Map<string, Float32Array>();
    const cosinesOf = (word: string): Float32Array => {
      let row = cosines.get(word);
      if (!row) {
        const vector = this.wordVector(word)?.vector;
        row = new Float32Array(query.length);
        query.forEach((q, i) => (row![i] = q.word === word ? 1 : vector && q.vector ? dot(q.vector, vector) : 0));
        cosines.set(word, row);
      }
      return row;
    };
    return (documentWords) => {
      if (weights === 0) return 0;
      const best = new Float64Array(query.length);
      for (const word of documentWords) {
        const row = cosinesOf(word);
        for (let i = 0; i < row.length; i++) if (row[i]! > best[i]!) best[i] = row[i]!;
      }
      return query.reduce((sum, q, i) => sum + q.weight * best[i]!, 0) / weights;
    };
  }

  knows(word: string): boolean {
    return this.wordVector(word) !== null;
  }

  rarity(word: string): number {
    return this.wordVector(word)?.weight ?? 1;
  }

  similarWords(word: string, vocabulary: readonly string[], minCosine: number, limit: number): [string, number][] {
    const entry = this.wordVector(word);
    if (!entry) return [];
    const found: [string, number][] = [];
    for (const [other, vector] of this.knownWords(vocabulary)) {
      if (other === word) continue;
      const cosine = dot(entry.vector, vector);
      if (cosine >= minCosine) found.push([other, cosine]);
    }
    return found.sort((a, b) => b[1] - a[1]).slice(0, limit);
  }

  /** The words of a vocabulary that have vectors, with them (looked up once per vocabulary). */
  private knownWords(vocabulary: readonly string[]): [string, Float32Array][] {
    let known = this.vocabularies.get(vocabulary);
    if (!known) {
      known = vocabulary.flatMap((w): [string, Float32Array][] => {
        const entry = this.wordVector(w);
        return entry ? [[w, entry.vector]] : [];
      });
      this.vocabularies.set(vocabulary, known);
    }
    return known;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** A crude singular for words GloVe lacks in the plural form used ("repos" → "repo"). */
export function singular(word: string): string {
  return word.endsWith('s') && word.length > 3 ? word.slice(0, -1) : word;
}

/**
 * A sentence embedder whose word-by-word work — word match, which words carry meaning, close
 * words for expansion — stays with the bundled word vectors (search-core's WordMatcher).
 */
export abstract class WithBundledWords implements WordMatcher {
  protected constructor(protected readonly words: BundledEmbedder) {}

  queryMatcher(queryWords: readonly string[]): (documentWords: readonly string[]) => number {
    return this.words.queryMatcher(queryWords);
  }

  knows(word: string): boolean {
    return this.words.knows(word);
  }

  rarity(word: string): number {
    return this.words.rarity(word);
  }

  similarWords(word: string, vocabulary: readonly string[], minCosine: number, limit: number): [string, number][] {
    return this.words.similarWords(word, vocabulary, minCosine, limit);
  }
}
