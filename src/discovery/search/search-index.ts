// The index behind `find`: BM25 over the text fields and cosine over the embeddings, both read
// from the compact file (compact-index.ts). It sits next to a small manifest, written last, so
// a crash between the two is detected by the generation both carry.
import { join } from 'node:path';
import { readJson } from '../../core/state/snapshots.js';
import { scoreBm25f, type QueryTerms } from './bm25.js';
import { CompactIndex, TEXT_FIELDS, type TextField } from './compact-index.js';
import type { SourceStamps } from './index-freshness.js';
import { Int8Rows } from './int8-dot.js';
import { topK } from './top-k.js';
import type { ToolDocument } from './tool-documents.js';

/** Bumped when documents or the file change shape: an older index is rebuilt. */
export const INDEX_FORMAT = 3;

export interface IndexManifest {
  format: number;
  generation: string;
  /** The embedder the vectors came from, or "none" for a full-text-only index. */
  embedder: string;
  dimensions: number;
  builtAt: string;
  sources: SourceStamps;
  /** Mean of the documents' embeddings, subtracted from every vector (queries too). */
  center?: number[];
  /** Why a model was wanted but the index holds no embeddings. */
  embedderProblem?: string;
}

export interface Hit {
  id: string;
  score: number;
}

export interface SearchIndex {
  compact: CompactIndex;
  manifest: IndexManifest;
}

export function indexFiles(indexDir: string): { manifest: string; data: string; legacy: string } {
  return { manifest: join(indexDir, 'manifest.json'), data: join(indexDir, 'index.bin'), legacy: join(indexDir, 'orama.json') };
}

export function readManifest(indexDir: string): Promise<IndexManifest | undefined> {
  return readJson<IndexManifest>(indexFiles(indexDir).manifest);
}

/** Indexes already open in this process, by file: a server answers many queries from one. */
const opened = new Map<string, CompactIndex>();

/** The persisted index, or undefined when it is missing, torn or of another format. */
export async function loadIndex(indexDir: string, manifest?: IndexManifest): Promise<SearchIndex | undefined> {
  const m = manifest ?? (await readManifest(indexDir));
  if (!m || m.format !== INDEX_FORMAT) return undefined;
  const file = indexFiles(indexDir).data;
  const known = opened.get(file);
  if (known?.header.generation === m.generation) return { compact: known, manifest: m };
  try {
    const compact = CompactIndex.open(file);
    if (compact.header.generation !== m.generation) return undefined;
    opened.set(file, compact);
    return { compact, manifest: m };
  } catch {
    return undefined;
  }
}

export function documentCount(index: SearchIndex): number {
  return index.compact.count;
}

export interface SearchFilters {
  server?: string[];
  tags?: string[];
  /** May the caller call this tool? Applied while searching, so that limits count only callable tools. */
  allow?: (server: string, tool: string) => boolean;
}

/** Documents that pass the filters, as a test on document numbers (undefined: all pass). */
function acceptor(compact: CompactIndex, filters: SearchFilters): ((doc: number) => boolean) | undefined {
  const { allow } = filters;
  if (!filters.server?.length && !filters.tags?.length && !allow) return undefined;
  const { servers, serverTags } = compact.header;
  const allowed = servers.map((name, i) => (!filters.server?.length || filters.server.includes(name)) && (!filters.tags?.length || filters.tags.every((t) => serverTags[i]!.includes(t))));
  return (doc) => {
    const server = compact.server[doc]!;
    if (!allowed[server]) return false;
    // A tool id is "<server>/<tool>"; a server's own document is not a tool to call.
    return !allow || compact.kind[doc] === 1 || allow(servers[server]!, compact.id(doc).slice(servers[server]!.length + 1));
  };
}

/** Documents that passed the filters and their scores (indexed by document number). */
export interface ScoredDocuments {
  docs: number[];
  scores: Float64Array;
}

/** BM25F over the text fields, any query term counting by its weight. */
export function textScores(index: SearchIndex, terms: QueryTerms, filters: SearchFilters): ScoredDocuments {
  const { compact } = index;
  const fields = (Object.keys(TEXT_FIELDS) as TextField[]).map((f) => ({ field: compact.fields[f], ...TEXT_FIELDS[f] }));
  return scoreBm25f(fields, terms, compact.count, acceptor(compact, filters));
}

/** Does some text field of some document hold the term? */
export function holdsTerm(index: SearchIndex, term: string): boolean {
  return (Object.keys(TEXT_FIELDS) as TextField[]).some((f) => index.compact.fields[f].termIndex(term) >= 0);
}

/** Two score sets over the same documents, summed (a new set; neither input changes). */
export function addScores(a: ScoredDocuments, b: ScoredDocuments): ScoredDocuments {
  const scores = Float64Array.from(a.scores);
  const docs = [...a.docs];
  for (const doc of b.docs) {
    if (scores[doc] === 0) docs.push(doc);
    scores[doc]! += b.scores[doc]!;
  }
  return { docs, scores };
}

/**
 * Cosine of the documents with the (unit) query vector, in one pass over the int8 block by a SIMD
 * kernel (int8-dot.ts): exact for every document (at 10,000 tools of 512 dimensions it costs
 * half of what shortlisting by the leading dimensions did, because choosing the shortlist was
 * dearer than the scan).
 */
export function vectorScores(index: SearchIndex, vector: Float32Array, filters: SearchFilters): ScoredDocuments {
  const { compact } = index;
  const { vectors, inverseNorms, count } = compact;
  if (!vectors || !inverseNorms) return { docs: [], scores: new Float64Array(0) };
  const dims = compact.header.dimensions;
  const accept = acceptor(compact, filters);
  const docs: number[] = [];
  for (let doc = 0; doc < count; doc++) if (!accept || accept(doc)) docs.push(doc);
  const scores = new Float64Array(count);
  const rows = Int8Rows.of(vectors, dims);
  rows.setQuery(vector);
  rows.dots(docs, inverseNorms, scores);
  return { docs, scores };
}

/** The best `limit` scored documents of one kind, as hits. */
export function bestHits(index: SearchIndex, scored: ScoredDocuments, limit: number, kind: 'tool' | 'server' = 'tool'): Hit[] {
  const { compact } = index;
  const wantKind = kind === 'server' ? 1 : 0;
  const docs: number[] = [];
  for (const doc of scored.docs) if (compact.kind[doc] === wantKind) docs.push(doc);
  return topK(docs, scored.scores, limit).map((doc) => ({ id: compact.id(doc), score: scored.scores[doc]! }));
}

/** The document's embedding words, for word-by-word reranking. */
export function documentWords(index: SearchIndex, id: string): string[] {
  const doc = index.compact.find(id);
  return doc < 0 ? [] : index.compact.embeddingWords(doc);
}

export function storedDocument(index: SearchIndex, id: string): ToolDocument | undefined {
  const doc = index.compact.find(id);
  return doc < 0 ? undefined : index.compact.record(doc);
}

const correctionVocabularies = new WeakMap<CompactIndex, string[]>();

/** The terms of tool names and descriptions, which spelling corrections may reach (read once per index). */
export function correctionVocabulary(index: SearchIndex): string[] {
  let terms = correctionVocabularies.get(index.compact);
  if (!terms) {
    const fields = [index.compact.fields.nameWords.terms, index.compact.fields.descriptionWords.terms];
    terms = [...new Set(fields.flatMap((table) => Array.from({ length: table.length }, (_, i) => table.get(i))))];
    correctionVocabularies.set(index.compact, terms);
  }
  return terms;
}
