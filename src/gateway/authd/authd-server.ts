// authd over HTTP: GET /verify for Caddy's forward_auth subrequest, the RFC 9728 protected
// resource metadata, and /healthz. A thin adapter around Authorizer; it never answers 500 to
// bad input and never lets an unexpected error turn into an allow.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { SessionStreamOrder, type OrderedRequest } from './session-stream-order.js';
import { listenOn } from '../../core/http/listen.js';
import { headerValue } from '../../core/http/http-messages.js';
import { publicUrl, type Settings } from '../../core/config/settings.js';
import { stateLayout } from '../../core/state/layout.js';
import { apiKeysFileOf } from '../../core/config/project.js';
import { DecisionObserver } from './decision-observer.js';
import { traceIdOf } from './decision-tracing.js';
import { Authorizer, resourceMetadataUrl, type AuthdAnswer, type VerifyRequest } from './authorizer.js';
import { LimitEnforcer, limitCountersFor } from './limit-enforcer.js';
import { limitsAnswer, limitsOfAnswer } from './limits-endpoint.js';
import { PolicySource } from './policy-source.js';
import { HealthGateSource } from './health-gate-source.js';
import { TokenVerifier } from '../../core/identity/token-verifier.js';
import { ApiKeySource } from './api-key-source.js';
import { UpstreamCredentials } from './upstream-credentials.js';
import { TokenExchanger } from './token-exchange.js';
import { DelegatedTokens } from './delegated-tokens.js';
import { relayedChallengeAnswer } from './upstream-challenge.js';
import { identityFromHeaders } from '../../core/identity/identity-header.js';
import { upstreamGrantStore } from '../../core/state/upstream-grants.js';
import type { JwtVerifier } from '../../core/identity/jwt-verifier.js';
import { AUTHD_PATH, headerKey, MCP_HEADER, MCPGW_HEADER, RESOURCE_METADATA_PATH } from '../../core/wire/contract.js';
import { decodeBodyHeader } from '../../core/wire/body-header.js';
import { mcpParamHeaders } from '../../core/wire/mcp-request.js';

/** Room for the other headers (Authorization, Mcp-*, X-Forwarded-*) beside the body header. */
const HEADER_ALLOWANCE = 64 * 1024;

export interface AuthdOptions {
  /** The mcpgw checkout (mcpgw.yaml, registry.d/, scopes.yml). */
  root: string;
  /** host:port to listen on; default settings.authd.listen. Port 0 picks a free port. */
  listen?: string;
  log?: (line: string) => void;
  /** Verifiers with their own key sets (tests); default: discovery from settings. */
  jwtVerifiers?: JwtVerifier[];
  /** Serve metrics here instead of settings.metrics.listen (tests: port 0). */
  metricsListen?: string;
}

export interface RunningAuthd {
  url: string;
  port: number;
  authorizer: Authorizer;
  source: PolicySource;
  limits: LimitEnforcer;
  /** The audit trail, metrics and tracing around the decisions. */
  observer: DecisionObserver;
  /** Where /metrics is served, when metrics are on. */
  metricsUrl?: string;
  /** The largest header block accepted; a body header beyond it gets 431. */
  maxHeaderSize: number;
  close(): Promise<void>;
}

/** A byte above 0x7f: only such a value reads differently as latin1 and as UTF-8. */
const NON_ASCII = /[\x80-\xff]/;

/** Node decodes header bytes as latin1; Caddy passes the body's UTF-8 bytes verbatim. */
function headerText(req: IncomingMessage, name: string): string | undefined {
  return utf8Text(headerValue(req, name));
}

/** A header value node read as latin1, as the UTF-8 it is (ASCII, nearly every value, as is: no copies). */
function utf8Text(text: string | undefined): string | undefined {
  return text === undefined || !NON_ASCII.test(text) ? text : Buffer.from(text, 'latin1').toString('utf8');
}

/** The body as the client sent it (see core/wire/body-header for the control-byte markers). */
function bodyText(req: IncomingMessage): string | undefined {
  const text = headerText(req, headerKey(MCPGW_HEADER.body));
  return text === undefined ? undefined : decodeBodyHeader(text);
}

export function verifyRequestOf(req: IncomingMessage, session = sessionOf(req)): VerifyRequest {
  return {
    authorization: headerText(req, 'authorization'),
    service: headerText(req, headerKey(MCPGW_HEADER.service)),
    body: bodyText(req),
    mcpMethod: headerText(req, headerKey(MCP_HEADER.method)),
    mcpName: headerText(req, headerKey(MCP_HEADER.name)),
    protocolVersion: headerText(req, headerKey(MCP_HEADER.protocolVersion)),
    mcpParams: mcpParamHeaders(req.headers, (v) => utf8Text(v)!),
    origin: headerText(req, 'origin'),
    requestId: headerText(req, headerKey(MCPGW_HEADER.requestId)),
    traceId: traceIdOf(headerText(req, 'traceparent')),
    sessionId: session?.id,
  };
}

/**
 * The MCP session a request belongs to: Streamable HTTP's Mcp-Session-Id header, or legacy SSE's
 * `?sessionId=` on the original URI (the one rule for both; session binding and stream order use it).
 */
export function sessionOf(req: IncomingMessage): { id: string; transport: 'streamable-http' | 'sse' } | undefined {
  const header = headerText(req, headerKey(MCP_HEADER.sessionId));
  if (header) return { id: header, transport: 'streamable-http' };
  const uri = headerText(req, 'x-forwarded-uri');
  // Most requests carry no query at all: skip the URL parser on authd's hot path (profiled).
  if (!uri?.includes('sessionId=')) return undefined;
  try {
    const id = new URL(uri, 'http://gateway').searchParams.get('sessionId');
    return id ? { id, transport: 'sse' } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a JSON-RPC body holds a request (not only notifications or responses); false when not JSON. */
function bodyCarriesRequest(body: string | undefined): boolean {
  if (!body) return false;
  try {
    const data: unknown = JSON.parse(body);
    const isRequest = (m: unknown) => typeof m === 'object' && m !== null && 'method' in m && 'id' in m;
    return Array.isArray(data) ? data.some(isRequest) : isRequest(data);
  } catch {
    return false;
  }
}

/**
 * Every answer states its length, never chunked (node's default after writeHead): on a 2xx
 * Caddy 2.6's forward_auth closes the answer's body without reading it (handle_response), and
 * Go's transport keeps a connection only if that body was read to its end or is known to be
 * empty. A chunked empty 200 cost a new TCP connection to authd per request (measured: one per
 * call; with Content-Length: 0, 16 for 16 clients, and ~0.4 ms less gateway CPU per call).
 */
function send(res: ServerResponse, answer: AuthdAnswer): void {
  const body = answer.body ?? '';
  res.writeHead(answer.status, { 'cache-control': 'no-store', ...answer.headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Longer than the 2 min Caddy keeps an idle upstream connection (reverse_proxy's default
 * keepalive idle_timeout): the client side closes idle connections first, so Caddy never sends
 * a decision request on a connection authd is closing (node's default is 5 s).
 */
export const AUTHD_KEEP_ALIVE_MS = 125_000;

function json(status: number, value: unknown): AuthdAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/**
 * RFC 9728 metadata for a well-known path. Clients build it by inserting the well-known prefix
 * before the path of the URL they use (§3.1), so it answers for the service path and for every
 * endpoint under it (`/<path>/mcp`, `/<path>/sse`, …); `resource` is that URL (§3.3).
 */
function protectedResourceMetadata(settings: Settings, source: PolicySource, path: string): AuthdAnswer {
  const resourcePath = path.slice(RESOURCE_METADATA_PATH.length).replace(/\/+$/, '');
  const service = resourcePath ? [...source.current.services.values()].find((s) => resourcePath === s.path || resourcePath.startsWith(`${s.path}/`)) : undefined;
  if (resourcePath && !service) return json(404, { error: 'not_found', error_description: `no service at ${resourcePath}` });
  // RFC 9728 §2: the resource identifier, and the authorization servers that issue tokens for it.
  return json(200, {
    resource: `${publicUrl(settings)}${resourcePath}`,
    authorization_servers: settings.identity.providers.map((p) => p.issuer),
    bearer_methods_supported: ['header'],
    resource_name: service ? `mcpgw: ${service.name}` : 'mcpgw gateway',
  });
}

/** Caddy relays an upstream's 401/403 (proxy-chain challengeRelay): what the client should do; a refused per-caller credential is forgotten. */
function challengeAnswer(req: IncomingMessage, source: PolicySource, upstream: UpstreamCredentials): AuthdAnswer {
  const name = headerText(req, headerKey(MCPGW_HEADER.service)) ?? '';
  const status = Number(headerText(req, headerKey(MCPGW_HEADER.upstreamStatus)));
  const service = source.current.services.get(name);
  const identity = (() => {
    try {
      return identityFromHeaders(req.headers);
    } catch {
      return undefined;
    }
  })();
  if (status === 401 && identity && service) upstream.forget(identity, name);
  return relayedChallengeAnswer(service, name, status, headerText(req, headerKey(MCPGW_HEADER.upstreamChallenge)));
}

/** Per-user upstream tokens when upstream_credentials.encryption_key is set; none (every delegated call refused) when it is not or cannot be read. */
function delegatedTokens(source: PolicySource, log: (line: string) => void): DelegatedTokens | undefined {
  const { settings, stateDir, paths } = source.project;
  if (!settings.upstream_credentials.encryption_key) return undefined;
  try {
    return new DelegatedTokens(upstreamGrantStore(settings, stateDir, paths.root), paths.root);
  } catch (err) {
    log(`warning: delegated upstream credentials are off: ${(err as Error).message}`);
    return undefined;
  }
}

export async function startAuthd(options: AuthdOptions): Promise<RunningAuthd> {
  const log = options.log ?? ((line: string) => process.stderr.write(`authd: ${line}\n`));
  const source = await PolicySource.open(options.root, log);
  const { settings } = source.project;
  const apiKeys = new ApiKeySource(apiKeysFileOf(source.project), log);
  const verifier = new TokenVerifier(settings.identity.providers, () => apiKeys.current, options.jwtVerifiers);
  const observer = await DecisionObserver.start(settings, stateLayout(source.project.stateDir), () => source.current.services, { metricsListen: options.metricsListen });
  const gate = new HealthGateSource(stateLayout(source.project.stateDir).healthFile, () => source.current.services.values(), log);
  await gate.refresh();
  gate.watch();
  const limits = new LimitEnforcer(limitCountersFor(settings, source.project.paths.root, log));
  const upstream = new UpstreamCredentials(new TokenExchanger(settings.identity.providers, source.project.paths.root), delegatedTokens(source, log));
  const authorizer = new Authorizer(settings, source, verifier, observer, gate, limits, apiKeys, upstream);
  source.watch(() => {
    authorizer.clearCaches();
    gate.recompute();
    observer.definitionsChanged();
  });
  for (const err of await verifier.warmUp()) log(`warning: ${err.message} (will retry on the next request)`);

  const largestBody = Math.max(4 * 1024 * 1024, ...[...source.current.services.values()].map((s) => s.limits.max_body_bytes));
  const maxHeaderSize = largestBody + HEADER_ALLOWANCE;

  const server: Server = createServer({ maxHeaderSize }, (req, res) => {
    handle(req)
      .then((answer) => send(res, answer))
      .catch((err: unknown) => {
        // Unexpected: deny (fail closed) and say so; no token or body in the log line.
        log(`error: ${(err as Error)?.message ?? err}`);
        if (!res.headersSent) send(res, json(503, { error: 'authd_error', error_description: 'authd could not decide; denied' }));
      });
  });
  server.keepAliveTimeout = AUTHD_KEEP_ALIVE_MS;
  const streamOrder = new SessionStreamOrder();
  const handle = async (req: IncomingMessage): Promise<AuthdAnswer> => {
    // Caddy asks for exactly /verify: no URL parse for it (once per subrequest; profiled).
    const path = req.url === AUTHD_PATH.verify ? AUTHD_PATH.verify : new URL(req.url ?? '/', 'http://authd').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method_not_allowed' });
    if (path === AUTHD_PATH.verify) {
      const session = sessionOf(req);
      const verify = verifyRequestOf(req, session);
      const ordered: OrderedRequest = {
        // Legacy SSE needs no ordering: its client learns the session id from the open stream.
        session: session?.transport === 'streamable-http' ? session.id : undefined,
        method: headerText(req, 'x-forwarded-method'),
        requestId: verify.requestId,
        reports: req.headers[headerKey(MCPGW_HEADER.streamReport)] !== undefined,
        carriesCall: () => verify.mcpMethod !== undefined || bodyCarriesRequest(verify.body),
      };
      return streamOrder.order(ordered, () => observer.observe(req, verify, () => authorizer.authorize(verify)));
    }
    // Both come from the route's handle_response once the upstream answered (a refusal with a
    // challenge goes to /challenge): when it was a GET of a session, its held calls go on.
    if (path === AUTHD_PATH.streamOpen || path === AUTHD_PATH.challenge) {
      const session = sessionOf(req);
      if (session?.transport === 'streamable-http') streamOrder.streamAnswered(session.id, headerText(req, headerKey(MCPGW_HEADER.requestId)));
      if (path === AUTHD_PATH.streamOpen) return { status: 204, headers: {} };
      return challengeAnswer(req, source, upstream);
    }
    if (path === AUTHD_PATH.limits) return limitsAnswer(headerText(req, 'authorization'), authorizer, source, limits);
    if (path === AUTHD_PATH.limitsOf) return limitsOfAnswer(new URL(req.url ?? '/', 'http://authd').searchParams, source, limits);
    if (path === RESOURCE_METADATA_PATH || path.startsWith(`${RESOURCE_METADATA_PATH}/`)) {
      return protectedResourceMetadata(settings, source, path);
    }
    if (path === AUTHD_PATH.healthz) return json(200, { ok: true, services: source.current.services.size, definitions: source.current.definitions, policy: source.current.policyFingerprint, metadata: resourceMetadataUrl(settings), limits: limits.counters.describe() });
    return json(404, { error: 'not_found' });
  };
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    // The body header (or the whole header block) is larger than authd accepts: a documented 431.
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: null,
      error: tooLarge
        ? { code: -32600, message: `request headers exceed ${maxHeaderSize} bytes (the request body is too large for authd)`, data: { code: 'ERR_HEADERS_TOO_LARGE' } }
        : { code: -32600, message: 'malformed HTTP request', data: { code: 'ERR_BAD_HTTP' } },
    });
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  const address = options.listen ?? settings.authd.listen;
  if (address.startsWith('unix//')) throw new Error('authd listens on host:port (Caddy reaches it over TCP)');
  const { url, port } = await listenOn(server, address).catch(async (err: unknown) => {
    await observer.close();
    throw err;
  });
  return {
    url,
    port,
    authorizer,
    source,
    limits,
    observer,
    metricsUrl: observer.metricsUrl,
    maxHeaderSize,
    close: async () => {
      source.close();
      gate.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await observer.close();
      await limits.close();
    },
  };
}
