// Reading any service that speaks the MCP Registry API (the official registry, another mcpgw):
// GET <base>/v0.1/servers?version=latest, page after page by nextCursor, optionally filtered by
// search and updated_since, with a bearer token when the registry needs one.
import { McpgwError, kindOfHttpStatus } from '../../core/errors.js';

/** One entry of a ServerList: the server.json document and the registry's metadata. */
export interface RegistryEntry {
  server: Record<string, unknown> & { name: string; version?: string };
  _meta?: Record<string, unknown>;
}

export interface RegistryReadOptions {
  search?: string;
  /** RFC 3339: only servers updated after it. */
  updatedSince?: string;
  /** Bearer token (the value, resolved from its reference by the caller). */
  token?: string;
  /** Stop after this many pages (a registry that never ends its cursor). */
  maxPages?: number;
  fetch?: typeof fetch;
}

export class RegistryReadError extends McpgwError {
  constructor(message: string, status: number | undefined, hint?: string) {
    super('ERR_REGISTRY_READ', message, kindOfHttpStatus(status), { hint, details: status ? { status } : undefined });
  }
}

const PAGE = 100;

/** The API's base: `https://registry.example.com` or `…/v0.1` both name it. */
export function apiBase(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v0(\.1)?$/, '');
}

async function page(url: URL, options: RegistryReadOptions): Promise<{ servers: RegistryEntry[]; next?: string }> {
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { headers: { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) }, redirect: 'error', signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new RegistryReadError(`cannot reach ${url.origin}: ${(err as Error).message}`, undefined, 'check the URL and that the registry is up');
  }
  const text = await res.text();
  if (!res.ok) {
    const hint = res.status === 401 || res.status === 403 ? 'pass a token the registry accepts: --token ${env:NAME}' : undefined;
    throw new RegistryReadError(`${url.origin}${url.pathname} answered ${res.status}: ${text.slice(0, 200)}`, res.status, hint);
  }
  let body: { servers?: unknown; metadata?: { nextCursor?: unknown; next_cursor?: unknown } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new RegistryReadError(`${url.origin}${url.pathname} did not answer JSON`, 502, 'is this an MCP Registry API (GET /v0.1/servers)?');
  }
  if (!Array.isArray(body.servers)) throw new RegistryReadError(`${url.origin}${url.pathname} answered no "servers" list`, 502, 'is this an MCP Registry API (GET /v0.1/servers)?');
  const servers = body.servers.filter((e): e is RegistryEntry => !!e && typeof e === 'object' && !!(e as RegistryEntry).server && typeof (e as RegistryEntry).server.name === 'string');
  const next = body.metadata?.nextCursor ?? body.metadata?.next_cursor;
  return { servers, next: typeof next === 'string' && next !== '' ? next : undefined };
}

/** Every (latest) server the registry lists for these options. */
export async function readRegistry(baseUrl: string, options: RegistryReadOptions = {}): Promise<RegistryEntry[]> {
  const out: RegistryEntry[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < (options.maxPages ?? 1000); n++) {
    const url = new URL(`${apiBase(baseUrl)}/v0.1/servers`);
    url.searchParams.set('version', 'latest');
    url.searchParams.set('limit', String(PAGE));
    if (options.search) url.searchParams.set('search', options.search);
    if (options.updatedSince) url.searchParams.set('updated_since', options.updatedSince);
    if (cursor) url.searchParams.set('cursor', cursor);
    const { servers, next } = await page(url, options);
    out.push(...servers);
    if (!next || next === cursor) return out;
    cursor = next;
  }
  return out;
}
