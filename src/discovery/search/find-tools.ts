// The query path of `mcpgw find`: each ranker lists its best tools among those the caller may call
// (withheld tools are not indexed at all), and reciprocal rank fusion merges the lists. A query
// that no ranker has evidence for gets no results; a result only the embedder vouches for (no
// word of the query, its corrections or its close words in the tool's text) is marked low confidence.
import { centered, EmbedderError, fullTextFallbackWarning, isWordMatcher, type WordMatcher } from './embedder.js';
import { contentWords } from './identifier-words.js';
import { fieldMatches, type FieldMatches } from './explain-match.js';
import { addScores, bestHits, correctionVocabulary, documentWords, holdsTerm, storedDocument, textScores, vectorScores, type Hit, type SearchFilters, type SearchIndex } from './search-index.js';
import { fuse, rankedHits, type ListName, type RankMode } from './rank.js';
import { allTerms } from './text-tokens.js';
import { correctTerms } from './term-corrections.js';
import type { OpenedIndex } from './index-update.js';
import { applyPopularity } from './popularity-prior.js';

/** May the caller call this tool? (Wired to scopes.yml through isToolAllowed when there is an identity.) */
export type ToolPredicate = (server: string, tool: string) => boolean;

export interface FindOptions extends SearchFilters {
  topK?: number;
  allow?: ToolPredicate;
  mode?: RankMode;
  explain?: boolean;
  /** `server/tool` → recent calls: the optional popularity prior (see popularity-prior.ts). */
  popularity?: ReadonlyMap<string, number>;
}

export interface FoundTool {
  server: string;
  tool: string;
  score: number;
  /** `low`: only the embedding vouches for it — no query word (or a correction or close word of one) is in its text. */
  confidence: 'high' | 'low';
  description: string;
  inputSchema: Record<string, unknown>;
  url: string;
  explain?: { textScore: number; vectorScore: number | null; ranks: Partial<Record<ListName, number>>; matched: FieldMatches };
}

export interface FindResult {
  query: string;
  results: FoundTool[];
  /** Problems that did not stop the search (a failing model), each naming its fix. */
  warnings: string[];
}

/** How many tools each ranker lists before fusing. */
const CANDIDATES = 200;
/** How many of each list the word-by-word matcher rescores. */
const WORD_CANDIDATES = 100;
/**
 * Averaged word vectors blur on long requests (a task of several sentences): beyond this many
 * content words the word-level lists are left out, and so is the cosine of an embedder that
 * averages word vectors (a sentence encoder's stays).
 */
const LONG_QUERY_WORDS = 10;
/**
 * Words of the index at least this close to a query word (GloVe cosine) join the expanded query,
 * at most EXPANSIONS per word, weighted by the cosine times the query word's rarity: a frequent
 * word's neighbours are loose ("make" → take, go, even), a rare word's closer ("picture" → image).
 */
const EXPANSION_COSINE = 0.55;
const EXPANSIONS = 5;

/** The query's own terms (weight 1) and, for terms no document holds, spelling and compound corrections. */
function queryTerms(index: SearchIndex, query: string, dictionary: WordMatcher | undefined): Map<string, number> {
  const own = allTerms(query);
  const dictionaryTerms = new Set(dictionary ? contentWords(query).filter((w) => dictionary.knows(w)).flatMap(allTerms) : []);
  const corrections = correctTerms(own, (t) => holdsTerm(index, t), () => correctionVocabulary(index), (t) => dictionaryTerms.has(t));
  return new Map([...own.map((t): [string, number] => [t, 1]), ...corrections]);
}

/** Terms of index words close in meaning to the query's words, weighted by cosine × rarity (the query's own `terms` left out). */
function expansionTerms(index: SearchIndex, matcher: WordMatcher, words: readonly string[], terms: ReadonlyMap<string, number>): Map<string, number> {
  const expanded = new Map<string, number>();
  const vocabulary = index.compact.vocabulary();
  for (const word of new Set(words)) {
    const rarity = matcher.rarity(word);
    for (const [similar, cosine] of matcher.similarWords(word, vocabulary, EXPANSION_COSINE, EXPANSIONS)) {
      const weight = cosine * rarity;
      for (const term of allTerms(similar)) if (!terms.has(term) && (expanded.get(term) ?? 0) < weight) expanded.set(term, weight);
    }
  }
  return expanded;
}

/**
 * Does the query hold evidence an embedder that drops unknown words cannot see: a word its
 * vectors lack (a product name: douban, bilibili) or a run in another script, which some tool's
 * text holds? That is the query's most specific evidence; the cosine, blind to it, would rank by
 * the rest of the query alone ("current trends"). Numbers do not count: they name nothing.
 */
function unseenEvidence(index: SearchIndex, query: string, words: readonly string[], dictionary: WordMatcher): boolean {
  const unseen = words.filter((w) => /[a-z]/.test(w) && !dictionary.knows(w)).flatMap(allTerms);
  // contentWords keeps ASCII words only: a term of another script never reaches the vector.
  const otherScript = allTerms(query).filter((t) => /[^\x00-\x7f]/.test(t));
  return [...unseen, ...otherScript].some((t) => holdsTerm(index, t));
}

async function queryVector(opened: Pick<OpenedIndex, 'index' | 'embedder'>, query: string, warnings: string[]): Promise<Float32Array | undefined> {
  const { embedder, index } = opened;
  if (!embedder || index.manifest.dimensions === 0) return undefined;
  // Words the vectors do not know add nothing; with none known the vector would be the corpus mean's mirror.
  if (isWordMatcher(embedder) && !contentWords(query).some((w) => embedder.knows(w))) return undefined;
  try {
    const [raw] = await embedder.embed([query]);
    return centered(raw!, index.manifest.center);
  } catch (err) {
    if (!(err instanceof EmbedderError)) throw err;
    warnings.push(fullTextFallbackWarning(err));
    return undefined;
  }
}

export async function findTools(opened: Pick<OpenedIndex, 'index' | 'embedder'>, query: string, options: FindOptions = {}): Promise<FindResult> {
  const { index } = opened;
  const mode = options.mode ?? 'hybrid';
  const topK = options.topK ?? 5;
  const warnings: string[] = [];
  const filters: SearchFilters = { server: options.server, tags: options.tags, allow: options.allow };
  const words = contentWords(query);
  const vector = mode === 'text' ? undefined : await queryVector(opened, query, warnings);
  const dictionary = isWordMatcher(opened.embedder) ? opened.embedder : undefined;
  const matcher = vector ? dictionary : undefined;
  // In hybrid mode word vectors (word match, expansion, an averaged cosine) rank only requests
  // short enough for them to be sharp; a sentence encoder's cosine ranks long ones too.
  const long = words.length > LONG_QUERY_WORDS;
  const wordLevel = mode === 'vector' || (mode === 'hybrid' && !(matcher && long));
  const sentenceLevel = mode === 'vector' || (mode === 'hybrid' && !(long && opened.embedder?.blursOnLongText) && !(opened.embedder?.dropsUnknownWords && dictionary && unseenEvidence(index, query, words, dictionary)));

  const lists: Partial<Record<ListName, Hit[]>> = {};
  const terms = mode === 'vector' ? undefined : queryTerms(index, query, dictionary);
  const textScored = terms && textScores(index, terms, filters);
  if (textScored) lists.text = bestHits(index, textScored, CANDIDATES);
  // BM25F sums over terms: the expanded query's scores are the text scores plus the expansions'.
  if (terms && textScored && matcher && wordLevel) lists.expanded = bestHits(index, addScores(textScored, textScores(index, expansionTerms(index, matcher, words, terms), filters)), CANDIDATES);
  if (vector && sentenceLevel) lists.vector = bestHits(index, vectorScores(index, vector, filters), CANDIDATES);
  if (matcher && wordLevel) {
    const matchDocument = matcher.queryMatcher(words);
    const candidates = new Set(Object.values(lists).flatMap((hits) => hits.slice(0, WORD_CANDIDATES).map((h) => h.id)));
    lists.words = rankedHits(new Map([...candidates].map((id) => [id, matchDocument(documentWords(index, id))])));
  }

  const fused = fuse(lists);
  const results: FoundTool[] = [];
  for (const hit of options.popularity ? applyPopularity(fused, options.popularity) : fused) {
    if (results.length >= topK) break;
    const doc = storedDocument(index, hit.id);
    if (!doc) continue;
    results.push({
      server: doc.server,
      tool: doc.tool,
      score: Math.round(hit.score * 1e4) / 1e4,
      confidence: hit.ranks.text || hit.ranks.expanded ? 'high' : 'low',
      description: doc.description,
      inputSchema: doc.inputSchema,
      url: doc.url,
      ...(options.explain && { explain: { textScore: hit.scores.text ?? 0, vectorScore: hit.scores.vector ?? null, ranks: hit.ranks, matched: fieldMatches(query, doc) } }),
    });
  }
  return { query, results, warnings };
}
