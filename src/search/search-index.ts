// The Orama database behind `find`: BM25 over the text fields, cosine over the embedding.
// It is persisted as one JSON file next to a manifest; the manifest is written last, so a
// crash between the two is detected by the generation both carry.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { count, create, getByID, insertMultiple, load, removeMultiple, save, search, type AnyOrama, type RawData } from '@orama/orama';
import { writeFileAtomic } from '../config/atomic-file.js';
import { readJson } from '../state/snapshots.js';
import { STOP_WORDS, textWords } from './identifier-words.js';
import type { SourceStamps } from './index-freshness.js';
import type { ToolDocument } from './tool-documents.js';

/** Bumped when documents or the schema change shape: an older index is rebuilt. */
export const INDEX_FORMAT = 1;

/** Fields the full-text ranker reads, and how much a match in each counts. */
export const TEXT_FIELDS = { nameWords: 3, descriptionWords: 1.5, params: 0.6, serverText: 0.6 } as const;
export type TextField = keyof typeof TEXT_FIELDS;

export interface IndexManifest {
  format: number;
  generation: string;
  /** The embedder the vectors came from, or "none" for a full-text-only index. */
  embedder: string;
  dimensions: number;
  builtAt: string;
  sources: SourceStamps;
  /** Document ids per service, to remove them when the service changes. */
  ids: Record<string, string[]>;
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
  db: AnyOrama;
  manifest: IndexManifest;
}

export function indexFiles(indexDir: string): { manifest: string; data: string } {
  return { manifest: join(indexDir, 'manifest.json'), data: join(indexDir, 'orama.json') };
}

export function createIndex(dimensions: number): AnyOrama {
  return create({
    schema: {
      kind: 'enum',
      server: 'enum',
      tags: 'enum[]',
      nameWords: 'string',
      descriptionWords: 'string',
      params: 'string',
      serverText: 'string',
      ...(dimensions > 0 && { embedding: `vector[${dimensions}]` as const }),
    },
    components: { tokenizer: { stemming: true, stopWords: [...STOP_WORDS] } },
  });
}

/** Rounded vectors: the persisted JSON is a third of the size and loads faster; ranking does not notice. */
function compact(vector: Float32Array): number[] {
  return Array.from(vector, (x) => Math.round(x * 1e4) / 1e4);
}

export async function addDocuments(db: AnyOrama, docs: readonly ToolDocument[], vectors?: readonly Float32Array[]): Promise<void> {
  const rows = docs.map((doc, i) => ({
    ...doc,
    descriptionWords: textWords(doc.description).join(' '),
    ...(vectors && { embedding: compact(vectors[i]!) }),
  }));
  await insertMultiple(db, rows, 1000);
}

export async function removeDocuments(db: AnyOrama, ids: readonly string[]): Promise<void> {
  if (ids.length) await removeMultiple(db, [...ids], 1000);
}

export function documentCount(db: AnyOrama): number {
  return count(db) as number;
}

export async function saveIndex(indexDir: string, index: SearchIndex): Promise<void> {
  const files = indexFiles(indexDir);
  const generation = randomUUID();
  await writeFileAtomic(files.data, JSON.stringify({ generation, data: save(index.db) }));
  index.manifest = { ...index.manifest, generation, builtAt: new Date().toISOString() };
  await writeFileAtomic(files.manifest, `${JSON.stringify(index.manifest)}\n`);
}

export function readManifest(indexDir: string): Promise<IndexManifest | undefined> {
  return readJson<IndexManifest>(indexFiles(indexDir).manifest);
}

/** The persisted index, or undefined when it is missing, torn or of another format. */
export async function loadIndex(indexDir: string, manifest?: IndexManifest): Promise<SearchIndex | undefined> {
  const m = manifest ?? (await readManifest(indexDir));
  if (!m || m.format !== INDEX_FORMAT) return undefined;
  const stored = await readJson<{ generation: string; data: RawData }>(indexFiles(indexDir).data).catch(() => undefined);
  if (!stored || stored.generation !== m.generation) return undefined;
  const db = createIndex(m.dimensions);
  load(db, stored.data);
  return { db, manifest: m };
}

export interface SearchFilters {
  server?: string[];
  tags?: string[];
}

// The kind is told by the id ("<server>/<tool>" or "<server>") after the search: an Orama
// `where` on it builds a set of every document id on each query, the slowest step at 10k tools.
const isKind = (id: string, kind: 'tool' | 'server') => id.includes('/') === (kind === 'tool');

function where(filters: SearchFilters): Record<string, unknown> {
  return {
    ...(filters.server?.length && { server: { in: filters.server } }),
    ...(filters.tags?.length && { tags: { containsAll: filters.tags } }),
  };
}

/** BM25 hits over the text fields, any query word counting. */
export async function textHits(db: AnyOrama, query: string, filters: SearchFilters, limit: number, kind: 'tool' | 'server' = 'tool'): Promise<Hit[]> {
  const result = await search(db, { term: query, properties: Object.keys(TEXT_FIELDS) as TextField[], boost: { ...TEXT_FIELDS }, where: where(filters), limit, threshold: 1 } as never);
  return (result as { hits: Hit[] }).hits.filter((h) => isKind(h.id, kind)).map(({ id, score }) => ({ id, score }));
}

/** Cosine hits over the embeddings, every document scored. */
export async function vectorHits(db: AnyOrama, vector: Float32Array, filters: SearchFilters, limit: number, kind: 'tool' | 'server' = 'tool'): Promise<Hit[]> {
  const result = await search(db, { mode: 'vector', vector: { value: vector, property: 'embedding' }, similarity: -1, where: where(filters), limit, includeVectors: true } as never);
  return (result as { hits: Hit[] }).hits.filter((h) => isKind(h.id, kind)).map(({ id, score }) => ({ id, score }));
}

export function storedDocument(db: AnyOrama, id: string): ToolDocument | undefined {
  return getByID(db, id) as ToolDocument | undefined;
}
