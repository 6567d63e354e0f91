// The query path of `mcpgw find`: full-text and embedding hits among the tools the caller may
// call (withheld tools are not indexed at all), fused by `rank`, then reordered word by word.
import { centered, EmbedderError, fullTextFallbackWarning, isWordMatcher } from './embedder.js';
import { contentWords } from './identifier-words.js';
import { fieldMatches, type FieldMatches } from './explain-match.js';
import { bestHits, documentWords, storedDocument, textScores, vectorScores, type SearchFilters } from './search-index.js';
import { DEFAULT_WEIGHTS, rank, rerankByWords, type RankMode, type RankWeights } from './rank.js';
import type { OpenedIndex } from './index-update.js';

/** May the caller call this tool? (Wired to scopes.yml through isToolAllowed when there is an identity.) */
export type ToolPredicate = (server: string, tool: string) => boolean;

export interface FindOptions extends SearchFilters {
  topK?: number;
  allow?: ToolPredicate;
  mode?: RankMode;
  explain?: boolean;
  weights?: RankWeights;
}

export interface FoundTool {
  server: string;
  tool: string;
  score: number;
  description: string;
  inputSchema: Record<string, unknown>;
  url: string;
  explain?: { textScore: number; vectorScore: number | null; matched: FieldMatches };
}

export interface FindResult {
  query: string;
  results: FoundTool[];
  /** Problems that did not stop the search (a failing model), each naming its fix. */
  warnings: string[];
}

/** How many candidates each ranker contributes before fusing and filtering. */
const CANDIDATES = 200;
const SERVER_CANDIDATES = 50;

export async function findTools(opened: Pick<OpenedIndex, 'index' | 'embedder'>, query: string, options: FindOptions = {}): Promise<FindResult> {
  const { index } = opened;
  const mode = options.mode ?? 'hybrid';
  const topK = options.topK ?? 5;
  const warnings: string[] = [];
  const wantVector = mode !== 'text' && opened.embedder !== undefined && opened.index.manifest.dimensions > 0;
  let queryVector: Float32Array | undefined;
  if (wantVector) {
    try {
      const [raw] = await opened.embedder!.embed([query]);
      queryVector = centered(raw!, opened.index.manifest.center);
    } catch (err) {
      if (!(err instanceof EmbedderError)) throw err;
      warnings.push(fullTextFallbackWarning(err));
    }
  }
  const filters: SearchFilters = { server: options.server, tags: options.tags, allow: options.allow };
  // Each side scores every document once; tools and servers are then picked from the scores.
  const textScored = mode === 'vector' ? undefined : textScores(index, query, filters);
  const vectorScored = queryVector && vectorScores(index, queryVector, filters);
  const text = textScored ? bestHits(index, textScored, CANDIDATES) : [];
  const vector = vectorScored && bestHits(index, vectorScored, CANDIDATES);
  const serverText = textScored ? bestHits(index, textScored, SERVER_CANDIDATES, 'server') : [];
  const serverVector = vectorScored && bestHits(index, vectorScored, SERVER_CANDIDATES, 'server');
  const weights = options.weights ?? DEFAULT_WEIGHTS;
  let ranked = rank(queryVector ? mode : 'text', { text, vector, serverText, serverVector }, weights);
  const matcher = opened.embedder;
  if (queryVector && mode === 'hybrid' && weights.words > 0 && isWordMatcher(matcher)) {
    const matchDocument = matcher.queryMatcher(contentWords(query));
    const scores = new Map(ranked.slice(0, weights.rerankDepth).map((h) => [h.id, matchDocument(documentWords(index, h.id))]));
    ranked = rerankByWords(ranked, scores, weights.words);
  }
  const results: FoundTool[] = [];
  for (const hit of ranked) {
    if (results.length >= topK) break;
    const doc = storedDocument(index, hit.id);
    if (!doc) continue;
    results.push({
      server: doc.server,
      tool: doc.tool,
      score: Math.round(hit.score * 1e4) / 1e4,
      description: doc.description,
      inputSchema: doc.inputSchema,
      url: doc.url,
      ...(options.explain && { explain: { textScore: hit.textScore, vectorScore: hit.vectorScore ?? null, matched: fieldMatches(query, doc) } }),
    });
  }
  return { query, results, warnings };
}
