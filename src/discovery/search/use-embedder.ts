// The Universal Sentence Encoder through @orama/plugin-embeddings and TensorFlow.js. Both are
// optional: they are loaded only when search.embedder is `use`, and their absence is a clear
// message. Weights come from search.use.model_url (a URL or a local directory, which TF.js
// caches), never from a default download behind the user's back.
import { EmbedderError, l2Normalize, type Embedder } from './embedder.js';

interface SentenceEncoder {
  embed(texts: string[]): Promise<{ array(): Promise<number[][]>; dispose(): void }>;
}

const INSTALL = 'npm install @orama/plugin-embeddings @tensorflow/tfjs (add @tensorflow/tfjs-node where it installs), or set search.embedder: bundled';

export class UseEmbedder implements Embedder {
  readonly id: string;
  private constructor(private readonly model: SentenceEncoder, modelUrl: string) {
    this.id = `use:${modelUrl}`;
  }

  static async load(modelUrl: string | undefined): Promise<UseEmbedder> {
    if (!modelUrl) throw new EmbedderError('ERR_EMBEDDER_CONFIG', 'search.embedder is `use` but search.use.model_url is not set', 'set search.use.model_url to the Universal Sentence Encoder weights (a URL or a local directory), or use search.embedder: bundled');
    const importOptional = (name: string) => import(name) as Promise<Record<string, unknown>>;
    let encoderModule: Record<string, unknown>;
    try {
      await importOptional('@tensorflow/tfjs-node').catch(() => importOptional('@tensorflow/tfjs'));
      encoderModule = await importOptional('@tensorflow-models/universal-sentence-encoder');
    } catch (err) {
      throw new EmbedderError('ERR_EMBEDDER_MISSING', 'the `use` embedder needs @orama/plugin-embeddings and TensorFlow.js, which are not installed', INSTALL, { cause: err });
    }
    try {
      const loadModel = encoderModule.load as (config: { modelUrl: string }) => Promise<SentenceEncoder>;
      return new UseEmbedder(await loadModel({ modelUrl }), modelUrl);
    } catch (err) {
      throw new EmbedderError('ERR_EMBEDDER_FAILED', `the Universal Sentence Encoder could not load from ${modelUrl} (${(err as Error).message})`, 'check search.use.model_url, or use search.embedder: bundled', { cause: err });
    }
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const tensor = await this.model.embed([...texts]);
    try {
      return (await tensor.array()).map((v) => l2Normalize(Float32Array.from(v)));
    } finally {
      tensor.dispose();
    }
  }
}
