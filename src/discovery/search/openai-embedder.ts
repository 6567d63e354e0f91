// Any OpenAI-compatible /v1/embeddings endpoint (OpenAI, Ollama, TEI, vLLM …). The key is
// given by reference in mcpgw.yaml (${env:…} or ${file:…}) and resolved only when called.
import { l2Normalize, EmbedderError, type Embedder } from './embedder.js';

export interface OpenAIEmbedderOptions {
  /** Base URL: https://api.openai.com/v1, http://127.0.0.1:11434/v1, or the full …/embeddings URL. */
  url: string;
  model: string;
  apiKey?: () => string | undefined;
  timeoutMs?: number;
  /** Texts per request: endpoints cap the batch size. */
  batchSize?: number;
}

export function embeddingsUrl(url: string): string {
  const base = url.replace(/\/+$/, '');
  return base.endsWith('/embeddings') ? base : `${base}/embeddings`;
}

export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.id = `openai:${embeddingsUrl(options.url)}#${options.model}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const batch = this.options.batchSize ?? 256;
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batch) out.push(...(await this.request(texts.slice(i, i + batch))));
    return out;
  }

  private async request(input: readonly string[]): Promise<Float32Array[]> {
    const url = embeddingsUrl(this.options.url);
    const fix = `check that ${url} answers (search.openai in mcpgw.yaml), or set search.embedder: bundled; then run \`mcpgw index --rebuild\``;
    let response: Response;
    try {
      const key = this.options.apiKey?.();
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
        body: JSON.stringify({ model: this.options.model, input }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new EmbedderError('ERR_EMBEDDER_FAILED', `the embeddings endpoint ${url} did not answer (${(err as Error).message})`, fix, { cause: err });
    }
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 200);
      throw new EmbedderError('ERR_EMBEDDER_FAILED', `the embeddings endpoint ${url} answered ${response.status}${detail ? `: ${detail}` : ''}`, fix);
    }
    const body = (await response.json().catch(() => undefined)) as { data?: { index?: number; embedding?: number[] }[] } | undefined;
    const data = body?.data;
    if (!Array.isArray(data) || data.length !== input.length || data.some((d) => !Array.isArray(d.embedding))) {
      throw new EmbedderError('ERR_EMBEDDER_FAILED', `the embeddings endpoint ${url} did not return one embedding per input`, fix);
    }
    return [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => l2Normalize(Float32Array.from(d.embedding!)));
  }
}
