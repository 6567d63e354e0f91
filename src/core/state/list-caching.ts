// The 2026-07-28 caching hints of list results (`ttlMs`, `cacheScope`; spec 2026-07-28, Server
// Utilities, "Caching") as mcpgw's caches of tool lists honour them: the probe re-fetches a list
// once it is stale, and a `private` list — the probe's own authorization context — is never
// shared with other callers (search, the registry server, the web UI). The registry MCP server
// sends them (core/wire/modern-results). Pure.

export interface ListCaching {
  /** How long the list is fresh (ms); absent: the server gave no hint (an older server). */
  ttlMs?: number;
  /** `private`: the list may differ per caller; no shared cache may serve it to anyone else. */
  cacheScope?: 'public' | 'private';
}

/** The methods whose complete results carry the hints (spec 2026-07-28, Caching, "Cacheable Results"). */
export const CACHEABLE_METHODS: ReadonlySet<string> = new Set(['server/discover', 'tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read']);

/** A recheck sooner than this is not scheduled, whatever the TTL (a ttlMs of 0 would spin). */
export const MIN_RECHECK_MS = 5_000;

/** The hints of one result, as the spec reads them (negative ttlMs is 0, an unknown scope is none). */
export function listCachingOf(result: Record<string, unknown>): ListCaching {
  const out: ListCaching = {};
  if (typeof result.ttlMs === 'number' && Number.isFinite(result.ttlMs)) out.ttlMs = Math.max(0, result.ttlMs);
  if (result.cacheScope === 'public' || result.cacheScope === 'private') out.cacheScope = result.cacheScope;
  return out;
}

/** One hint for a list read in pages: the shortest TTL, and private when any page is. */
export function mergeListCaching(pages: readonly ListCaching[]): ListCaching {
  const ttls = pages.map((p) => p.ttlMs).filter((t): t is number => t !== undefined);
  const out: ListCaching = {};
  if (ttls.length) out.ttlMs = Math.min(...ttls);
  if (pages.some((p) => p.cacheScope === 'private')) out.cacheScope = 'private';
  else if (pages.some((p) => p.cacheScope === 'public')) out.cacheScope = 'public';
  return out;
}

/** When to fetch the list again: at the check interval, or sooner when its TTL ends sooner. */
export function recheckIntervalMs(intervalMs: number, caching: ListCaching | undefined): number {
  const ttl = caching?.ttlMs;
  if (ttl === undefined || ttl >= intervalMs) return intervalMs;
  return Math.max(ttl, MIN_RECHECK_MS);
}

/** May a list cached from the probe's own context be served to other callers? */
export function isShareable(caching: ListCaching | undefined): boolean {
  return caching?.cacheScope !== 'private';
}
