// Migration from other registries' formats into registry.d fields: detects the format and hands
// the document to its reader — the reference system's server JSON or the official server.json.
import type { ServiceFields } from '../../core/config/service-yaml.js';
import { fromReference } from './import-reference.js';
import { fromServerJson } from './import-server-json.js';
import { ImportFormatError, type ImportOptions, type Json } from './import-rules.js';

export { ImportFormatError, slugify, type ImportOptions } from './import-rules.js';

export type ImportFormat = 'reference' | 'server.json';

export function detectFormat(data: unknown): ImportFormat | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const d = data as Json;
  if ('server_name' in d || 'proxy_pass_url' in d) return 'reference';
  const inner = d.server && typeof d.server === 'object' ? (d.server as Json) : d;
  if ('remotes' in inner || ('packages' in inner && 'name' in inner) || (typeof inner.$schema === 'string' && inner.$schema.includes('server'))) return 'server.json';
  return undefined;
}

export function importService(data: unknown, opts: ImportOptions = {}): ServiceFields {
  const format = detectFormat(data);
  if (format === 'reference') return fromReference(data as Json, opts);
  if (format === 'server.json') return fromServerJson(data as Json, opts);
  throw new ImportFormatError('not a known format: expected the reference server JSON (server_name, proxy_pass_url) or an MCP Registry server.json (name, remotes or packages)');
}

/** A file may hold one document or a list of them (the official registry's seed files). */
export function documentsOf(data: unknown): unknown[] {
  return Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as Json).servers) ? ((data as Json).servers as unknown[]) : [data];
}
