// Picks the embedder that mcpgw.yaml asks for (search.embedder); `none` means full text only.
// `bundled` is the GloVe word vectors; `distilled` adds the sentence vectors distilled at build time.
import type { Settings } from '../../core/config/settings.js';
import { resolveSecrets } from '../../core/config/secrets.js';
import { EmbedderError, type Embedder } from './embedder.js';

export async function embedderFromSettings(settings: Settings, baseDir: string): Promise<Embedder | undefined> {
  const search = settings.search;
  switch (search.embedder) {
    case 'none':
      return undefined;
    case 'bundled': {
      const { BundledEmbedder } = await import('./bundled-embedder.js');
      return BundledEmbedder.load();
    }
    case 'distilled': {
      const { DistilledEmbedder } = await import('./distilled-embedder.js');
      return DistilledEmbedder.load();
    }
    case 'openai': {
      if (!search.openai) throw new EmbedderError('ERR_EMBEDDER_CONFIG', 'search.embedder is `openai` but search.openai is not set', 'add search.openai: { url, model, api_key: "${env:OPENAI_API_KEY}" } to mcpgw.yaml');
      const { OpenAIEmbedder } = await import('./openai-embedder.js');
      const key = search.openai.api_key;
      return new OpenAIEmbedder({ url: search.openai.url, model: search.openai.model, apiKey: key ? () => resolveSecrets(key, baseDir) : undefined });
    }
    case 'use': {
      if (!search.use?.model_url) {
        const { SentenceEmbedder } = await import('./sentence-embedder.js');
        return SentenceEmbedder.load();
      }
      const { UseEmbedder } = await import('./use-embedder.js');
      return UseEmbedder.load(search.use?.model_url);
    }
  }
}
