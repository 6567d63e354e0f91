// Rebuilds the persisted index: only the changed services' documents when the rest can be
// kept, everything otherwise. Loaded only when the index is stale, so that a query against a
// fresh index does not load the project, the prober's approvals or the writer.
import { loadProject } from '../config/project.js';
import type { ServiceDefinition, ToolDefinition } from '../config/service.js';
import { gatewayEndpoint } from '../config/service-summary.js';
import { publicUrl } from '../config/settings.js';
import type { StateLayout } from '../state/layout.js';
import { usableTools } from '../probe/tool-approvals.js';
import { centered, EmbedderError, fullTextFallbackWarning, meanVector, type Embedder } from './embedder.js';
import { indexEntry } from './compact-index.js';
import type { SourceStamps } from './index-freshness.js';
import { INDEX_FORMAT, loadIndex, type SearchIndex } from './search-index.js';
import { saveIndex } from './index-save.js';
import { embeddingText, serviceDocuments, type ToolDocument } from './tool-documents.js';

/**
 * The tools of a service that search may show. The default asks the prober: its snapshot (or
 * the static `tools:` without one), minus tools a pinned service withholds until approved.
 */
export type ToolSource = (service: ServiceDefinition, layout: StateLayout) => Promise<ToolDefinition[]>;
export const usableToolSource: ToolSource = async (service, layout) => (await usableTools(layout, service)).tools;

export interface IndexUpdate {
  kind: 'none' | 'incremental' | 'full';
  /** Services whose documents were rebuilt or removed. */
  services: string[];
}

export async function rebuild(
  root: string,
  layout: StateLayout,
  sources: SourceStamps,
  plan: { full: boolean; changed: string[]; removed: string[] },
  embedder: Embedder | undefined,
  toolSource: ToolSource = usableToolSource,
  warnings: string[],
  problem?: string,
): Promise<{ index: SearchIndex; embedder?: Embedder; update: IndexUpdate }> {
  const project = await loadProject(root);
  const base = publicUrl(project.settings);
  const previous = plan.full ? undefined : await loadIndex(layout.indexDir);
  const full = !previous;
  const names = full ? project.services.map((s) => s.name) : [...plan.changed, ...plan.removed];
  const wanted = new Set(names);
  const docs: ToolDocument[] = [];
  for (const svc of project.services) {
    if (!wanted.has(svc.name) || !svc.enabled) continue;
    docs.push(...serviceDocuments({ name: svc.name, description: svc.description, tags: svc.tags, url: gatewayEndpoint(base, svc) }, await toolSource(svc, layout)));
  }
  let vectors: Float32Array[] | undefined;
  if (embedder) {
    try {
      vectors = await embedder.embed(docs.map(embeddingText));
    } catch (err) {
      if (!(err instanceof EmbedderError)) throw err;
      warnings.push(fullTextFallbackWarning(err));
      // Vectors for only some documents would rank the rest unfairly: rebuild all as full text.
      return rebuild(root, layout, sources, { full: true, changed: [], removed: [] }, undefined, toolSource, warnings, err.message);
    }
  }
  const dimensions = vectors?.[0]?.length ?? (full ? 0 : previous.manifest.dimensions);
  const center = full ? (vectors?.length ? meanVector(vectors) : undefined) : previous.manifest.center;
  const kept = full ? [] : previous.compact.entries().filter((e) => !wanted.has(e.doc.server));
  const entries = [...kept, ...docs.map((doc, i) => indexEntry(doc, vectors && centered(vectors[i]!, center)))];
  const manifest = full
    ? { format: INDEX_FORMAT, embedder: vectors ? embedder!.id : 'none', dimensions, sources, ...(center && { center }), ...(problem && { embedderProblem: problem }) }
    : { ...previous.manifest, sources };
  const index = await saveIndex(layout.indexDir, entries, manifest);
  return { index, embedder: vectors || !embedder ? embedder : undefined, update: { kind: full ? 'full' : 'incremental', services: names } };
}
