// The handler chain every proxied route runs, in the order the authd contract fixes:
// body limit → drop client identity headers → forward_auth subrequest to authd → upstream
// headers → path rewrite → streaming reverse_proxy.
import type { CaddyHandler } from './caddy-json.js';
import { BODY_HEADER_ESCAPES } from '../../core/wire/body-header.js';
import { escapeLiteral } from './upstream-headers.js';
import { AUTHD_ONLY_HEADERS, AUTHD_PATH, COPIED_IDENTITY_HEADERS, MCPGW_HEADER, UPSTREAM_CREDENTIAL_HEADER } from '../../core/wire/contract.js';
import { REQUEST_ID_TO_ACCESS_LOG } from './access-log.js';


export interface ProxyTarget {
  /** The service name authd decides for (X-Mcpgw-Service). */
  service: string;
  /**
   * Copy the caller's identity from authd onto the request (`auth: required`). Every route asks
   * authd either way: it also decides enabled/disabled and the health gate, per request, so
   * those changes never touch Caddy's config (a config load closes open streams in Caddy 2.6).
   */
  copyIdentity: boolean;
  /** authd's dial address (host:port). */
  authd: string;
  passAuthorization: boolean;
  /** An upstream's 401/403 goes to authd's /challenge, which answers the client with what to do (not a bare status). */
  relayChallenges?: boolean;
  /**
   * Drop the upstream's WWW-Authenticate (a federation peer's): its challenge names the peer's
   * resource metadata and groups, which concern this gateway's credential there, not the
   * caller — the peer's JSON-RPC error body still says what it refused.
   */
  hideUpstreamChallenge?: boolean;
  /** authd answers with the caller's upstream token (upstream_auth token_exchange / delegated_oauth); Caddy sends it as Authorization. */
  upstreamCredential?: boolean;
  /** Header values already in Caddy form (placeholders for env secrets). */
  headers: Record<string, string>;
  upstreams: { dial: string; tls: boolean }[];
  maxBodyBytes: number;
  /** Upstream response-header timeout in ms (a JSON tools/call answers only when done). */
  responseTimeoutMs?: number;
  maxConnsPerHost?: number;
  /** Removed from the front of the path before proxying. */
  stripPrefix?: string;
  /** Put in front of the (stripped) path: the stdio host serves /<name>/… */
  addPrefix?: string;
  /** Put Caddy's request id in the access line (see access-log.ts). */
  requestIdToAccessLog?: boolean;
  /** Copy the JSON-RPC body into the auth subrequest (false: authd decides from Mcp-Method/Mcp-Name). */
  bodyToAuthd?: boolean;
  /** The upstream URL's own query (`profile=free`), sent before the client's query. */
  upstreamQuery?: string;
}

/** The query an upstream URL carries (without `?`), or undefined. */
export function upstreamQueryOf(url: string): string | undefined {
  const query = new URL(url).search.slice(1);
  return query || undefined;
}

/** `host:port` for Caddy's `dial` from an upstream URL. */
export function dialOf(url: string): { dial: string; tls: boolean } {
  const u = new URL(url);
  const tls = u.protocol === 'https:';
  return { dial: `${u.hostname}:${u.port || (tls ? 443 : 80)}`, tls };
}

/** `host:port` to dial for a listen address (`:8081` listens on all interfaces; dial loopback). */
export function dialOfListen(listen: string): string {
  return listen.startsWith(':') ? `127.0.0.1${listen}` : listen;
}

/**
 * On authd's 2xx: copy identity onto the request, or (auth: none) make sure none reaches the
 * upstream; with a per-caller upstream credential, authd's token replaces the client's Authorization.
 */
function onAllowed(copyIdentity: boolean, upstreamCredential: boolean): CaddyHandler {
  if (!copyIdentity) return { handler: 'headers', request: { delete: [...COPIED_IDENTITY_HEADERS] } };
  const set: Record<string, string[]> = Object.fromEntries(COPIED_IDENTITY_HEADERS.map((h) => [h, [`{http.reverse_proxy.header.${h}}`]]));
  if (upstreamCredential) set.Authorization = [`{http.reverse_proxy.header.${UPSTREAM_CREDENTIAL_HEADER}}`];
  return { handler: 'headers', request: { set } };
}

export function forwardAuthHandler(service: string, authd: string, copyIdentity = true, bodyToAuthd = true, upstreamCredential = false): CaddyHandler {
  return {
    handler: 'reverse_proxy',
    upstreams: [{ dial: authd }],
    rewrite: { method: 'GET', uri: AUTHD_PATH.verify },
    headers: {
      request: {
        set: {
          [MCPGW_HEADER.service]: [service],
          // Caddy buffers the body for this placeholder and still sends it upstream afterwards.
          // Header-only (a 2026-07-28 request to an upstream that checks Mcp-* against the
          // body itself): no copy, so no buffering for it.
          ...(bodyToAuthd ? { [MCPGW_HEADER.body]: ['{http.request.body}'] } : {}),
          // authd records it with the decision; the access log line carries the same id.
          [MCPGW_HEADER.requestId]: ['{http.request.uuid}'],
          'X-Forwarded-Method': ['{http.request.method}'],
          // This route's GETs are reported to /stream-open once the upstream answered (streamOpenReport).
          [MCPGW_HEADER.streamReport]: ['1'],
          'X-Forwarded-Uri': ['{http.request.uri}'],
        },
        // Caddy runs replace after set: CR, LF and other control bytes (pretty-printed JSON)
        // become markers authd turns back (core/wire/body-header), or the subrequest fails.
        ...(bodyToAuthd ? { replace: { [MCPGW_HEADER.body]: BODY_HEADER_ESCAPES.map((e) => ({ search_regexp: e.searchRegexp, replace: e.marker })) } } : {}),
      },
    },
    // 2xx: continue (with identity when asked); anything else (401/403/400, 503 for a disabled
    // or gated service, or a 502 when authd is down) goes to the client as is — the upstream
    // is never reached.
    handle_response: [{ match: { status_code: [2] }, routes: [{ handle: [onAllowed(copyIdentity, upstreamCredential)] }] }],
  };
}

/**
 * `X-Accel-Buffering: no` on every answer of an upstream, so on every stream: a header Caddy
 * sets unconditionally is expressible in a Caddyfile too (`header_down`), and on a JSON answer
 * it changes nothing.
 */
export const STREAM_RESPONSE_HEADERS = { set: { 'X-Accel-Buffering': ['no'] } };

/**
 * When the upstream refuses (401/403 with a WWW-Authenticate challenge), its status and WWW-Authenticate go to authd's
 * /challenge, whose JSON-RPC answer (connect, ask for a scope, ask an admin) replaces the
 * upstream's. The request's Authorization (an upstream credential by now) is not sent along.
 */
export function challengeRelay(service: string, authd: string): Record<string, unknown> {
  return {
    // Only refusals with an RFC 6750 challenge: an upstream's own 403 JSON-RPC answer passes as it is.
    match: { status_code: [401, 403], headers: { 'Www-Authenticate': ['*'] } },
    routes: [
      {
        handle: [
          authdReport(authd, AUTHD_PATH.challenge, {
            [MCPGW_HEADER.service]: [service],
            [MCPGW_HEADER.upstreamStatus]: ['{http.reverse_proxy.status_code}'],
            [MCPGW_HEADER.upstreamChallenge]: ['{http.reverse_proxy.header.Www-Authenticate}'],
            // A refused GET stream no longer holds its session's calls (authd/session-stream-order).
            [MCPGW_HEADER.requestId]: ['{http.request.uuid}'],
          }),
        ],
      },
    ],
  };
}

/**
 * A GET to authd about the upstream's answer (the challenge relay, the stream-open report): the
 * given headers set, the request's Authorization (an upstream credential by now) not sent along.
 */
function authdReport(authd: string, uri: string, set: Record<string, string[]>): CaddyHandler {
  return { handler: 'reverse_proxy', upstreams: [{ dial: authd }], rewrite: { method: 'GET', uri }, headers: { request: { set, delete: ['Authorization'] } } };
}

/**
 * Read a request's body whole before proxying it. Caddy 2.6's HTTP/1 server drains and closes
 * a request body as soon as the response starts, while its proxy may still be finishing that
 * body upstream: the proxy then closes the upstream connection and the answer is cut
 * ("aborting with incomplete response"; golang/go#15527 — later Caddy has full duplex). An MCP
 * server starts a streamed answer as soon as it has read the body, so under load about one
 * POST in 500 lost its answer and the client waited for its timeout.
 *
 * The `{http.request.body}` placeholder reads the body into a buffer of its own and puts it in
 * the body's place (what the forward_auth body copy already does). Not `buffer_requests`: its
 * buffer comes from a pool and goes back there when a failed attempt closes the body, so a
 * retry on another upstream could send another request's body. Always behind `request_body`.
 */
export const READ_BODY_FIRST: CaddyHandler = { handler: 'vars', mcpgw_body_read: '{http.request.body}' };


export function upstreamProxyHandler(t: ProxyTarget): CaddyHandler {
  const request: Record<string, unknown> = {};
  // No token passthrough (MCP spec, Security Best Practices): the client's token stays here.
  // A definition that sets Authorization replaces it anyway — and Caddy runs deletes after
  // sets, so deleting too would drop the definition's own credential.
  // A per-caller credential was set in place of the client's token on authd's 2xx (onAllowed).
  const setsAuthorization = t.upstreamCredential || Object.keys(t.headers).some((h) => h.toLowerCase() === 'authorization');
  if (!t.passAuthorization && !setsAuthorization) request.delete = ['Authorization'];
  const set: Record<string, string[]> = Object.fromEntries(Object.entries(t.headers).map(([k, v]) => [k, [v]]));
  if (t.upstreams.some((u) => u.tls)) set.Host = ['{http.reverse_proxy.upstream.hostport}'];
  if (Object.keys(set).length) request.set = set;
  const transport: Record<string, unknown> = { protocol: 'http', dial_timeout: '10s' };
  if (t.upstreams.some((u) => u.tls)) transport.tls = {};
  if (t.responseTimeoutMs) transport.response_header_timeout = `${t.responseTimeoutMs}ms`;
  if (t.maxConnsPerHost) transport.max_conns_per_host = t.maxConnsPerHost;
  const handler: CaddyHandler = {
    handler: 'reverse_proxy',
    upstreams: t.upstreams.map((u) => ({ dial: u.dial })),
    // -1: flush every write at once, so SSE events and streamed responses are not held back.
    flush_interval: -1,
    transport,
  };
  // Streamed answers (SSE: GET streams, streamed tool calls, 2026-07-28 subscriptions/listen)
  // tell proxies in front of the gateway not to buffer them (spec 2026-07-28, Streamable HTTP,
  // "Receiving Messages"); Caddy itself flushes at once (flush_interval -1).
  const response = t.hideUpstreamChallenge ? { ...STREAM_RESPONSE_HEADERS, delete: ['WWW-Authenticate'] } : STREAM_RESPONSE_HEADERS;
  handler.headers = { ...(Object.keys(request).length ? { request } : {}), response };
  // The challenge relay first: a refusal with a challenge goes to /challenge (its GET is not reported).
  handler.handle_response = [...(t.relayChallenges ? [challengeRelay(t.service, t.authd)] : []), ...streamOpenReport(t.service, t.authd)];
  if (t.upstreams.length > 1) {
    // MCP sessions live in one upstream process: `first` keeps every client on the first
    // healthy upstream and fails over when it stops answering, instead of spreading a session.
    handler.load_balancing = { selection_policy: { policy: 'first' }, try_duration: '5s' };
    handler.health_checks = { passive: { fail_duration: '30s', max_fails: 1, unhealthy_status: [502, 503, 504] } };
  }
  return handler;
}

/**
 * When the upstream answered a GET (a stream accepted, or refused: a 405, 404, 5xx …): tell
 * authd's /stream-open, whose calls held behind that GET go on (authd/session-stream-order),
 * then send the upstream's answer on as the proxy would have (copy_response: its headers,
 * flushing at once). Every other request's answer is copied on as it is.
 *
 * Why the subroute: a handle_response route that proxies again (forward_auth style) continues
 * with the inner proxy's response in its context — Caddy 2.6 keeps the response handle_response
 * routes see under one context key, which the inner reverse_proxy takes over (reverseproxy.go,
 * handleUpstreamResponse) — so a copy_response after it copies authd's 204, not the stream. The
 * inner proxy therefore always ends in an error (its handle_response, for every status; or its
 * dial error when authd is down), and the subroute's error routes run with the request as it
 * was before the inner proxy: their copy_response streams the upstream's answer. authd's
 * answer never reaches the client, and a report that fails delays nothing.
 */
export function streamOpenReport(service: string, authd: string): Record<string, unknown>[] {
  const report: CaddyHandler = {
    ...authdReport(authd, AUTHD_PATH.streamOpen, {
      [MCPGW_HEADER.service]: [service],
      // The id the GET's /verify carried: authd ends the hold of exactly that GET.
      [MCPGW_HEADER.requestId]: ['{http.request.uuid}'],
      [MCPGW_HEADER.upstreamStatus]: ['{http.reverse_proxy.status_code}'],
    }),
    handle_response: [{ routes: [{ handle: [{ handler: 'error', error: 'stream answer reported to authd', status_code: 500 }] }] }],
  };
  const routes = [
    { match: [{ method: ['GET'] }], handle: [{ handler: 'subroute', routes: [{ handle: [report] }], errors: { routes: [{ handle: [{ handler: 'copy_response' }] }] } }] },
    { handle: [{ handler: 'copy_response' }] },
  ];
  // A GET's answers: a stream, or a refusal. Calls' plain JSON answers (most of them) skip this.
  return [{ match: { status_code: [2], headers: { 'Content-Type': ['text/event-stream*'] } }, routes }, { match: { status_code: [3, 4, 5] }, routes }];
}

/** Whether a handle_response entry of the upstream proxy is the stream-open report (not the challenge relay). */
export function isStreamOpenReport(entry: { routes?: { handle: CaddyHandler[] }[] }): boolean {
  return JSON.stringify(entry.routes ?? []).includes(`"uri":"${AUTHD_PATH.streamOpen}"`);
}

export function proxyChain(t: ProxyTarget): CaddyHandler[] {
  const chain: CaddyHandler[] = [
    // One byte over the limit: Caddy 2.6 silently cuts a longer body at max_size (and would
    // forward the cut request), so authd must see that there was more — it answers 413.
    { handler: 'request_body', max_size: t.maxBodyBytes + 1 },
    { handler: 'headers', request: { delete: [...AUTHD_ONLY_HEADERS] } },
  ];
  // The body copy for authd reads the body; header-only requests read it here. Before
  // forward_auth: its 2xx routes go on with a copy of the request, and a body read after that
  // would be put on the copy the placeholder does not see.
  if (t.bodyToAuthd === false) chain.push(READ_BODY_FIRST);
  chain.push(forwardAuthHandler(t.service, t.authd, t.copyIdentity, t.bodyToAuthd ?? true, t.upstreamCredential ?? false));
  if (t.stripPrefix) chain.push({ handler: 'rewrite', strip_path_prefix: t.stripPrefix });
  if (t.addPrefix) chain.push({ handler: 'rewrite', uri: `${t.addPrefix}{http.request.uri.path}` });
  // Only requests authd let through reach this: their access line names the request id authd recorded.
  if (t.requestIdToAccessLog) chain.push(REQUEST_ID_TO_ACCESS_LOG);
  // Caddy drops an empty `&{…}` pair, so a request without a query gets exactly the upstream's.
  if (t.upstreamQuery) chain.push({ handler: 'rewrite', uri: `{http.request.uri.path}?${escapeLiteral(t.upstreamQuery)}&{http.request.uri.query}` });
  chain.push(upstreamProxyHandler(t));
  return chain;
}

/** A small JSON answer (never an HTML page) for paths mcpgw does not proxy. */
export function jsonResponse(status: number, body: Record<string, string>): CaddyHandler {
  return {
    handler: 'static_response',
    status_code: status,
    headers: { 'Content-Type': ['application/json'], 'Cache-Control': ['no-store'] },
    // Caddy expands placeholders in bodies; the values here are fixed strings with no braces.
    body: JSON.stringify(body),
  };
}
