// The registries `mcpgw import --registry` has read, remembered in the state dir so `mcpgw sync`
// can ask each again for what changed since (updated_since). Tokens stay references.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import { readJson } from '../../core/state/snapshots.js';
import { stateLayout } from '../../core/state/layout.js';
import { apiBase } from './registry-api-client.js';

export interface RegistrySource {
  url: string;
  search?: string;
  /** `${env:NAME}` / `${file:PATH}` — never the token itself. */
  token?: string;
  /** The registry's newest updatedAt seen: the next sync's updated_since. */
  last_sync?: string;
}

interface SourcesFile {
  sources: RegistrySource[];
}

export async function readSources(stateDir: string): Promise<RegistrySource[]> {
  return (await readJson<SourcesFile>(stateLayout(stateDir).registrySourcesFile))?.sources ?? [];
}

/** Add or update one source (by URL and search). */
export async function rememberSource(stateDir: string, source: RegistrySource): Promise<void> {
  const file = stateLayout(stateDir).registrySourcesFile;
  const url = apiBase(source.url);
  const others = (await readSources(stateDir)).filter((s) => !(apiBase(s.url) === url && (s.search ?? '') === (source.search ?? '')));
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify({ sources: [...others, { ...source, url }] }, null, 2)}\n`, 0o600);
}
