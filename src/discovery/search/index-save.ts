// Writes the index: the compact file first, the manifest last, so that a crash between the two
// leaves a manifest whose generation the file does not carry (and the index is rebuilt).
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import { CompactIndex, encodeIndex, type IndexEntry } from './compact-index.js';
import { indexFiles, type IndexManifest, type SearchIndex } from './search-index.js';

/** Write entries as the index (data first, manifest last) and return it ready to search. */
export async function saveIndex(indexDir: string, entries: readonly IndexEntry[], manifest: Omit<IndexManifest, 'generation' | 'builtAt'>): Promise<SearchIndex> {
  const files = indexFiles(indexDir);
  const generation = randomUUID();
  const data = encodeIndex(entries, manifest.dimensions, generation);
  await writeFileAtomic(files.data, data);
  const saved: IndexManifest = { ...manifest, generation, builtAt: new Date().toISOString() };
  await writeFileAtomic(files.manifest, `${JSON.stringify(saved)}\n`);
  await rm(files.legacy, { force: true }); // the 47 MB Orama file of format 1
  return { compact: CompactIndex.decode(data), manifest: saved };
}

