// Rebuilds the persisted index: only the changed services' documents when the rest can be
// kept, everything otherwise. Loaded only when the index is stale, so that a query against a
// fresh index does not load the project, the prober's approvals or the writer.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { formatIssue, hasErrors, type ConfigIssue } from '../../core/config/issues.js';
import { loadProjectForReading, loadServiceText, projectPaths } from '../../core/config/project.js';
import type { ServiceDefinition, ToolDefinition } from '../../core/config/service.js';
import { gatewayEndpoint } from '../../core/config/service-summary.js';
import { publicUrl, type Settings } from '../../core/config/settings.js';
import type { StateLayout } from '../../core/state/layout.js';
import { usableTools } from '../../core/state/tool-approvals.js';
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

/**
 * The definitions of the named services only: an incremental update need not parse the other
 * registry files (most of its time at 400 services). A full rebuild still loads the project.
 */
async function loadServices(root: string, names: readonly string[], warnings: string[]): Promise<ServiceDefinition[]> {
  const paths = projectPaths(root);
  const files = await readdir(paths.registryDir);
  const services: ServiceDefinition[] = [];
  for (const name of names) {
    const file = [`${name}.yaml`, `${name}.yml`].find((f) => files.includes(f));
    if (!file) continue;
    const path = join(paths.registryDir, file);
    const loaded = loadServiceText(relative(root, path) || file, await readFile(path, 'utf8'));
    // A bad file is left out (named), so one typo does not stop search over the others.
    if (!loaded.value || hasErrors(loaded.issues)) warnings.push(leftOutWarning(relative(root, path) || file, loaded.issues));
    else services.push(loaded.value);
  }
  return services;
}

function leftOutWarning(file: string, issues: ConfigIssue[]): string {
  const first = issues.find((i) => i.severity === 'error');
  return `${file} left out of the index: ${first ? formatIssue(first) : 'does not validate'} (see \`mcpgw validate\`)`;
}

/** Every service that validates; files that do not are named in `warnings`. */
async function loadReadableServices(root: string, warnings: string[]): Promise<ServiceDefinition[]> {
  const { project, leftOut } = await loadProjectForReading(root);
  for (const bad of leftOut) warnings.push(leftOutWarning(bad.file, bad.issues));
  return project.services;
}

export async function rebuild(
  at: { root: string; settings: Settings },
  layout: StateLayout,
  sources: SourceStamps,
  plan: { full: boolean; changed: string[]; removed: string[] },
  embedder: Embedder | undefined,
  toolSource: ToolSource = usableToolSource,
  warnings: string[],
  problem?: string,
): Promise<{ index: SearchIndex; embedder?: Embedder; update: IndexUpdate }> {
  const base = publicUrl(at.settings);
  const previous = plan.full ? undefined : await loadIndex(layout.indexDir);
  const full = !previous;
  const services = full ? await loadReadableServices(at.root, warnings) : await loadServices(at.root, plan.changed, warnings);
  const names = full ? services.map((s) => s.name) : [...plan.changed, ...plan.removed];
  const wanted = new Set(names);
  const docs: ToolDocument[] = [];
  for (const svc of services) {
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
      return rebuild(at, layout, sources, { full: true, changed: [], removed: [] }, undefined, toolSource, warnings, err.message);
    }
  }
  const dimensions = vectors?.[0]?.length ?? (full ? 0 : previous.manifest.dimensions);
  const center = full ? (vectors?.length && embedder!.centerOnCorpus !== false ? meanVector(vectors) : undefined) : previous.manifest.center;
  const kept = full ? [] : previous.compact.entries().filter((e) => !wanted.has(e.doc.server));
  const entries = [...kept, ...docs.map((doc, i) => indexEntry(doc, vectors && centered(vectors[i]!, center)))];
  const manifest = full
    ? { format: INDEX_FORMAT, embedder: vectors ? embedder!.id : 'none', dimensions, sources, ...(center && { center }), ...(problem && { embedderProblem: problem }) }
    : { ...previous.manifest, sources };
  const index = await saveIndex(layout.indexDir, entries, manifest);
  return { index, embedder: vectors || !embedder ? embedder : undefined, update: { kind: full ? 'full' : 'incremental', services: names } };
}
