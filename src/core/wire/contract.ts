// The gateway's contract in one place: the headers, paths and default addresses Caddy, authd,
// the stdio host, the registry server, the web UI and clients agree on. Change them here only.

/**
 * The identity authd sets on a 2xx and Caddy copies onto the proxied request: base64url(JSON)
 * written and read only by core/identity/identity-header.ts.
 */
export const IDENTITY_HEADER = 'X-Mcpgw-Identity';

/**
 * The per-caller upstream credential (`Bearer <token>`, upstream_auth token_exchange or
 * delegated_oauth) authd answers a 2xx with; Caddy copies it onto the proxied request as
 * `Authorization`, replacing the client's own token, which never leaves the gateway.
 */
export const UPSTREAM_CREDENTIAL_HEADER = 'X-Mcpgw-Upstream-Authorization';

/** The identity headers Caddy copies from authd's answer. */
export const COPIED_IDENTITY_HEADERS: readonly string[] = [IDENTITY_HEADER];

/** Headers Caddy sets on the forward_auth subrequest to authd. */
export const MCPGW_HEADER = {
  /** The service name authd decides for. */
  service: 'X-Mcpgw-Service',
  /** The request body (Caddy's `{http.request.body}`), so authd can read method and tool. */
  body: 'X-Mcpgw-Body',
  /** Caddy's request id ({http.request.uuid}): authd records it, the access log line carries it. */
  requestId: 'X-Mcpgw-Request-Id',
  /** Set by the node that forwarded a session's request to the node owning it (never forwarded twice). */
  forwardedBy: 'X-Mcpgw-Forwarded-By',
  /** On GET /challenge: the status (401/403) and WWW-Authenticate an upstream refused a call with. */
  upstreamStatus: 'X-Mcpgw-Upstream-Status',
  upstreamChallenge: 'X-Mcpgw-Upstream-Challenge',
  /** On /verify: the route reports to /stream-open when the upstream answered a GET (the Caddyfile render cannot). */
  streamReport: 'X-Mcpgw-Stream-Report',
} as const;

/**
 * Header names only authd may set; a client's copies are deleted before the check (Caddy
 * `*` patterns). Caddy compares names in Go's canonical form (`x_user` arrives as `X_user`),
 * and upstreams behind CGI-style stacks read `X_User` as `X-User`, so the underscore spellings
 * go too. `X-Mcpgw*` / `X_mcpgw*` cover X-Mcpgw-Identity and every X-Mcpgw header in either
 * spelling; the older X-User/X-Groups/X-Scopes are no longer sent but never reach an upstream.
 */
export const AUTHD_ONLY_HEADERS: readonly string[] = ['X-Mcpgw*', 'X_mcpgw*', 'X-User', 'X_user', 'X-Groups', 'X_groups', 'X-Scopes', 'X_scopes'];

/** The session-less protocol revision: each request names its method in headers (Mcp-Method, Mcp-Name). */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/**
 * Every protocol version the gateway's parts speak (the stdio host and the registry server serve
 * each; authd applies each one's header rules): 2026-07-28 and the initialize-based versions of
 * the MCP SDK. A request naming another gets 400 UnsupportedProtocolVersionError (-32022) listing these.
 */
export const KNOWN_PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION, '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];

/** MCP transport headers (2026-07-28 adds Mcp-Method / Mcp-Name / Mcp-Param-*). */
export const MCP_HEADER = {
  method: 'Mcp-Method',
  name: 'Mcp-Name',
  protocolVersion: 'Mcp-Protocol-Version',
  sessionId: 'Mcp-Session-Id',
  /** Prefix of the 2026-07-28 headers that mirror tool arguments (`x-mcp-header`). */
  paramPrefix: 'Mcp-Param-',
} as const;

/** node lower-cases incoming header names: the key to read `req.headers` with. */
export function headerKey(name: string): string {
  return name.toLowerCase();
}

/** authd's paths. */
export const AUTHD_PATH = {
  verify: '/verify',
  healthz: '/healthz',
  /** The caller's own limits and what is left (by the caller's bearer token). */
  limits: '/limits',
  /** The limits of a signed-in web UI person (subject, kind, groups in the query); loopback only, Caddy never routes it. */
  limitsOf: '/limits/of',
  /** Caddy asks it when an upstream answers 401/403: the client gets a JSON-RPC error that says what to do. */
  challenge: '/challenge',
  /** Caddy tells it that the upstream answered a session's GET stream (any status): calls held behind it go on. */
  streamOpen: '/stream-open',
} as const;

/** RFC 9728 protected resource metadata, for the gateway and (suffixed with its path) each service. */
export const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';
/** The prefix every well-known document lives under; no service may take it. */
export const WELL_KNOWN_PREFIX = '/.well-known';

/** Where the registry MCP server is mounted behind Caddy. */
export const REGISTRY_PATH = '/mcpgw';
/** Where a caller reads their own limits through the gateway (Caddy passes it to authd's /limits; before /mcpgw/*). */
export const LIMITS_PATH = `${REGISTRY_PATH}/limits`;
/** Where the web UI is mounted behind Caddy. */
export const UI_PATH = '/ui';

/** The registry's HTTP API (MCP registry v0.1 shape). */
export const REGISTRY_API_PATH = '/v0.1';

/** `_meta` keys of the registry API (reverse DNS, as the official registry names its own). */
export const REGISTRY_META = {
  /** Registry-managed: status, publishedAt, updatedAt, isLatest (the official registry's key; clients read it). */
  official: 'io.modelcontextprotocol.registry/official',
  /** In the server document: what the publisher provided (a definition's `metadata:`). */
  publisher: 'io.modelcontextprotocol.registry/publisher-provided',
  /** mcpgw's own fields of a served service (name, path, whole description, tags, federation peer). */
  mcpgw: 'io.mcpgw/service',
} as const;

/**
 * Paths of the gateway no service definition may claim (compared as Caddy does: without
 * regard to case). /verify is authd's and never routed, but a service there would confuse
 * every reader of the config.
 */
export const RESERVED_PATHS: readonly string[] = [REGISTRY_PATH, UI_PATH, WELL_KNOWN_PREFIX, AUTHD_PATH.verify, REGISTRY_API_PATH];

/** Default listen addresses (mcpgw.yaml); tests never use them. */
export const DEFAULT_LISTEN = {
  gateway: '127.0.0.1:8080',
  caddyAdmin: '127.0.0.1:2019',
  authd: '127.0.0.1:8081',
  registryServer: '127.0.0.1:8082',
  stdioHost: '127.0.0.1:8083',
  web: '127.0.0.1:8084',
} as const;
