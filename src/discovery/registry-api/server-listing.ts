// GET /v0.1/servers as a pure function: the caller's served servers and the query in, one page
// out (cursor, limit, search, updated_since, version). Query errors are RegistryQueryError (400).
import { McpgwError } from '../../core/errors.js';
import { OFFICIAL_META, type ServedServer } from './server-document.js';

export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;

export class RegistryQueryError extends McpgwError {
  constructor(message: string, hint?: string) {
    super('ERR_REGISTRY_QUERY', message, 'invalid-input', { hint });
  }
}

export interface ListQuery {
  cursor?: string;
  limit?: string;
  search?: string;
  updated_since?: string;
  version?: string;
}

export interface ServerPage {
  servers: ServedServer[];
  metadata: { count: number; nextCursor?: string };
}

/** Cursors are opaque to clients: the last name of the page, base64url-encoded. */
export function encodeCursor(name: string): string {
  return Buffer.from(name, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const name = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!name.includes('/')) throw new RegistryQueryError(`cursor "${cursor}" is not one this registry returned`, 'pass metadata.nextCursor of the previous page as it is');
  return name;
}

function limitOf(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new RegistryQueryError(`limit "${raw}" is not a positive whole number`, `use 1 to ${MAX_LIMIT}`);
  return Math.min(n, MAX_LIMIT);
}

/** RFC 3339 date-time (the OpenAPI's format: date-time). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function sinceOf(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const t = Date.parse(raw);
  if (!RFC3339.test(raw) || Number.isNaN(t)) throw new RegistryQueryError(`updated_since "${raw}" is not an RFC 3339 date-time`, 'use e.g. 2025-08-07T13:15:04.280Z');
  return t;
}

/** Pure: filter by search (name substring, any case), updated_since (strictly after) and version, then page by name. */
export function listServers(all: readonly ServedServer[], query: ListQuery): ServerPage {
  const limit = limitOf(query.limit);
  const since = sinceOf(query.updated_since);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const search = query.search?.toLowerCase();
  const version = query.version && query.version !== 'latest' ? query.version : undefined;
  const matching = [...all]
    .filter((s) => !search || s.server.name.toLowerCase().includes(search))
    .filter((s) => since === undefined || Date.parse(s._meta[OFFICIAL_META].updatedAt) > since)
    .filter((s) => !version || s.server.version === version)
    .sort((a, b) => (a.server.name < b.server.name ? -1 : a.server.name > b.server.name ? 1 : 0));
  const rest = after === undefined ? matching : matching.filter((s) => s.server.name > after);
  const servers = rest.slice(0, limit);
  const more = rest.length > limit;
  return { servers, metadata: { count: servers.length, ...(more ? { nextCursor: encodeCursor(servers[servers.length - 1]!.server.name) } : {}) } };
}
