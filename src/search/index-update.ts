// Keeps the persisted index in step with the files: nothing to do when every stamp matches,
// only the changed services' documents when one service changed, everything otherwise.
import { ConfigInvalidError } from '../config/issues.js';
import { loadProject, loadSettings, projectPaths, stateDirFor, type ProjectPaths } from '../config/project.js';
import type { ServiceDefinition, ToolDefinition } from '../config/service.js';
import { gatewayEndpoint } from '../config/service-summary.js';
import { publicUrl, type Settings } from '../config/settings.js';
import { withFileLock } from '../config/atomic-file.js';
import { stateLayout, type StateLayout } from '../state/layout.js';
import { usableTools } from '../probe/tool-approvals.js';
import { centered, EmbedderError, meanVector, type Embedder } from './embedder.js';
import { embedderFromSettings } from './embedder-from-settings.js';
import { isFresh, sourceStamps, staleness, type SourceStamps } from './index-freshness.js';
import { indexEntry } from './compact-index.js';
import { INDEX_FORMAT, loadIndex, readManifest, saveIndex, type SearchIndex } from './search-index.js';
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

export interface OpenedIndex {
  index: SearchIndex;
  /** The embedder for queries; undefined when the index is full text only. */
  embedder?: Embedder;
  update: IndexUpdate;
  settings: Settings;
  paths: ProjectPaths;
  /** Problems that did not stop the search, each naming its fix. */
  warnings: string[];
}

export interface OpenIndexOptions {
  rebuild?: boolean;
  toolSource?: ToolSource;
  /** Use this embedder instead of the one mcpgw.yaml names (benchmarks compare them). */
  embedder?: Embedder | null;
}

function embedderWarning(err: EmbedderError): string {
  return `${err.message} — searching by full text only; fix: ${err.fix}`;
}

/** Open the index for searching, rebuilding what the files changed first. */
export async function openIndex(root: string, options: OpenIndexOptions = {}): Promise<OpenedIndex> {
  const paths = projectPaths(root);
  const loadedSettings = await loadSettings(paths);
  if (!loadedSettings.value) throw new ConfigInvalidError(loadedSettings.issues);
  const settings = loadedSettings.value;
  const layout = stateLayout(stateDirFor(paths, settings));
  const warnings: string[] = [];
  let embedder: Embedder | undefined;
  if (options.embedder !== undefined) embedder = options.embedder ?? undefined;
  else {
    try {
      embedder = await embedderFromSettings(settings, paths.root);
    } catch (err) {
      if (!(err instanceof EmbedderError)) throw err;
      warnings.push(embedderWarning(err));
    }
  }
  const current = sourceStamps(paths, layout);
  const manifest = await readManifest(layout.indexDir);
  const wanted = embedder?.id ?? 'none';
  const stale = staleness(manifest?.format === INDEX_FORMAT ? manifest.sources : undefined, current);
  // A full-text-only index built while the model was failing is kept until `index --rebuild`,
  // so a model that stays down does not cost every query a new attempt.
  const otherModel = manifest !== undefined && embedder !== undefined && manifest.embedder !== wanted && manifest.embedder !== 'none';
  if (manifest?.embedder === 'none' && embedder && !options.rebuild) {
    warnings.push(`the index holds no embeddings (${manifest.embedderProblem ?? 'built without a model'}) — searching by full text only; fix: run \`mcpgw index --rebuild\``);
    embedder = undefined;
  }
  if (!options.rebuild && !otherModel && isFresh(stale)) {
    const index = await loadIndex(layout.indexDir, manifest);
    if (index) return { index, embedder, update: { kind: 'none', services: [] }, settings, paths, warnings };
  }
  return withFileLock(`${layout.indexDir}/manifest.json`, async () => {
    const full = Boolean(options.rebuild) || otherModel || stale.full;
    const update = await rebuild(root, layout, current, { full, changed: stale.changed, removed: stale.removed }, embedder, options.toolSource ?? usableToolSource, warnings);
    return { ...update, settings, paths, warnings };
  });
}

async function rebuild(
  root: string,
  layout: StateLayout,
  sources: SourceStamps,
  plan: { full: boolean; changed: string[]; removed: string[] },
  embedder: Embedder | undefined,
  toolSource: ToolSource,
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
      warnings.push(embedderWarning(err));
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
