// Opens the index for a query, keeping it in step with the files: nothing to do when every
// stamp matches; otherwise index-rebuild (loaded only then) redoes the changed services or all.
import { ConfigInvalidError } from '../../core/config/issues.js';
import { loadSettings, projectPaths, stateDirFor, type ProjectPaths } from '../../core/config/project.js';
import type { Settings } from '../../core/config/settings.js';
import { stateLayout } from '../../core/state/layout.js';
import { EmbedderError, fullTextFallbackWarning, type Embedder } from './embedder.js';
import { embedderFromSettings } from './embedder-from-settings.js';
import { isFresh, sourceStamps, staleness } from './index-freshness.js';
import type { IndexUpdate, ToolSource } from './index-rebuild.js';
import { INDEX_FORMAT, loadIndex, readManifest, type SearchIndex } from './search-index.js';

export type { IndexUpdate, ToolSource } from './index-rebuild.js';

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
      warnings.push(fullTextFallbackWarning(err));
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
  const [{ withFileLock }, { rebuild }] = await Promise.all([import('../../core/config/atomic-file.js'), import('./index-rebuild.js')]);
  return withFileLock(`${layout.indexDir}/manifest.json`, async () => {
    const full = Boolean(options.rebuild) || otherModel || stale.full;
    const update = await rebuild({ root, settings }, layout, current, { full, changed: stale.changed, removed: stale.removed }, embedder, options.toolSource, warnings);
    return { ...update, settings, paths, warnings };
  });
}

