// Results as a 2026-07-28 server gives them (spec 2026-07-28: "Discovery"; Server Utilities,
// "Caching"; Basic, "_meta"): `server/discover` answered from what initialize would have said,
// `resultType`, the server's identity in `_meta["io.modelcontextprotocol/serverInfo"]`, and the
// caching hints on cacheable results. Pure. The stdio host and the registry MCP server use it.
import type { Implementation, InitializeResult } from '@modelcontextprotocol/sdk/types.js';
import { KNOWN_PROTOCOL_VERSIONS } from './contract.js';
import { CACHEABLE_METHODS, type ListCaching } from '../state/list-caching.js';

/** The `_meta` key a 2026-07-28 result names its server with. */
export const SERVER_INFO_META = 'io.modelcontextprotocol/serverInfo';

/** The hints a producing server must send: both fields. */
export type CachingHints = Required<ListCaching>;

/** The hints of a result nobody may reuse: stale at once, for this caller only (what a server says when it cannot know better). */
export const NOT_REUSABLE: CachingHints = { ttlMs: 0, cacheScope: 'private' };

type Json = Record<string, unknown>;

/**
 * The `server/discover` result of a server whose initialize answer is `init`. serverInfo is sent
 * in `_meta` (the released schema) and at the top level too (the drafts' place, which clients of
 * the drafts still read).
 */
export function discoverResult(init: Pick<InitializeResult, 'capabilities' | 'serverInfo' | 'instructions'>, caching?: CachingHints): Json {
  return {
    resultType: 'complete',
    supportedVersions: [...KNOWN_PROTOCOL_VERSIONS],
    capabilities: init.capabilities,
    serverInfo: init.serverInfo,
    ...(init.instructions ? { instructions: init.instructions } : {}),
    _meta: { [SERVER_INFO_META]: init.serverInfo },
    ...(caching ?? {}),
  };
}

/**
 * A result of `method` as a 2026-07-28 client gets it: `resultType: "complete"` unless the server
 * said otherwise (an MRTR `input_required`, a task), the server's identity in `_meta`, and — on a
 * complete result of a cacheable method — the caching hints `hintsFor` gives (none: no hints).
 */
export function modernResult(method: string, result: Json, serverInfo: Implementation, hintsFor: (method: string) => CachingHints | undefined): Json {
  const resultType = typeof result.resultType === 'string' ? result.resultType : 'complete';
  const meta = typeof result._meta === 'object' && result._meta !== null ? (result._meta as Json) : {};
  const hints = resultType === 'complete' && CACHEABLE_METHODS.has(method) ? hintsFor(method) : undefined;
  return { ...result, resultType, _meta: { ...meta, [SERVER_INFO_META]: serverInfo }, ...(hints ?? {}) };
}
