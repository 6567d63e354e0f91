// `mcpgw serve --http`: the registry MCP server behind Caddy's /mcpgw route (Caddy strips the
// prefix). /mcp is stateless Streamable HTTP — a fresh server per request, so no session can
// carry one caller's identity into another's request; 2026-07-28 requests (session-less by
// definition) go through the gateway's session-less rule (core/wire/stateless-request) instead of
// the SDK's transport, which refuses that version. /sse + /messages is the legacy HTTP+SSE
// transport (2024-11-05), whose stream is bound to the caller who opened it. The MCP Registry API
// (/v0.1, registry-api/) is served here too: Caddy routes it unstripped.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { REGISTRY_API_PATH, REGISTRY_PATH } from '../../core/wire/contract.js';
import { handleRegistryApi } from '../registry-api/registry-api.js';
import { readJsonRpcBody, sendError, sendJson, sendJsonRpcError } from '../../core/http/http-messages.js';
import { listenOn } from '../../core/http/listen.js';
import { callerFromHeaders, callerOwner, type Caller } from './caller.js';
import { SessionBindings } from '../../core/policy/session-binding.js';
import { REGISTRY_SERVER } from '../../core/policy/policy.js';
import { RegistryServerError } from './errors.js';
import type { RequestExtra } from './registry-context.js';
import { RegistryService } from '../../control/registry/registry-service.js';
import { createRegistryMcpServer, REGISTRY_SERVER_INFO, registryCachingHints } from './registry-mcp-server.js';
import { isModernRequest, serveStatelessRequest, statelessRequestProblem } from '../../core/wire/stateless-request.js';
import { modernExchange } from './modern-exchange.js';

/** The same limit the /mcpgw route enforces in Caddy. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Legacy SSE: how long a change's answer gets to leave on the stream before Caddy is
 * reconfigured (Caddy 2.6 then ends streams in flight, this one included; the client reconnects).
 */
const SSE_ANSWER_HEAD_START_MS = 250;

export interface RegistryHttpOptions {
  root: string;
  /** host:port or unix//path; port 0 picks a free port. */
  listen: string;
  log?: (line: string) => void;
}

export interface RegistryHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface SseSession {
  transport: SSEServerTransport;
}


export async function startRegistryHttpServer(options: RegistryHttpOptions): Promise<RegistryHttpServer> {
  const log = options.log ?? (() => {});
  // One registry service for the process: one watcher, one serialized apply.
  const registry = await RegistryService.open(options.root);
  registry.onAfterAnswerApply((outcome) => {
    for (const w of outcome.warnings) log(`warning: ${w}`);
    if (outcome.error) log(outcome.message);
  });
  const base = { registry, callerOf: (extra: RequestExtra) => callerFromHeaders(extra.requestInfo?.headers) };
  const sessions = new Map<string, SseSession>();
  // The one session rule (core/policy/session-binding): bound to the caller who opened it.
  const owners = new SessionBindings();

  async function streamable(req: IncomingMessage, res: ServerResponse, caller: Caller): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed', message: 'this endpoint is stateless: POST JSON-RPC messages' }, { allow: 'POST' });
    const body = await readJsonRpcBody(req, res, MAX_BODY_BYTES);
    if (body === undefined) return;
    // A change made by this request is applied once its answer has left (the response closed).
    const answered = new Promise<void>((resolve) => res.once('close', resolve));
    const ctx = { ...base, applyWhen: () => ({ after: answered }) };
    if (isModernRequest(req)) {
      const exchange = modernExchange(() => createRegistryMcpServer(ctx, caller), req.headers, { serverInfo: REGISTRY_SERVER_INFO, hints: registryCachingHints });
      return serveStatelessRequest(req, res, body, exchange);
    }
    // Older versions: the SDK's transport, after the same header rules (an unknown version is
    // -32022, headers that disagree with the body -32020).
    const problem = statelessRequestProblem(req, body);
    if (problem) return sendJson(res, problem.status, problem.body);
    const server = createRegistryMcpServer(ctx, caller);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async function openSse(req: IncomingMessage, res: ServerResponse, caller: Caller): Promise<void> {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
    // The answer goes out on this stream, which has no end to wait for: give it a moment's start.
    const headStart = () => ({ after: new Promise<void>((resolve) => setTimeout(resolve, SSE_ANSWER_HEAD_START_MS)) });
    const server = createRegistryMcpServer({ ...base, applyWhen: headStart }, caller);
    // The gateway path: clients resolve the endpoint against the URL they used (<gateway>/mcpgw/sse).
    const transport = new SSEServerTransport(`${REGISTRY_PATH}/messages`, res);
    sessions.set(transport.sessionId, { transport });
    owners.bind(REGISTRY_SERVER, transport.sessionId, callerOwner(caller));
    // The stream ended (client gone, or close()): the SDK's own close handling follows this one.
    transport.onclose = () => {
      sessions.delete(transport.sessionId);
      owners.forget(REGISTRY_SERVER, transport.sessionId);
    };
    await server.connect(transport);
  }

  async function postSse(req: IncomingMessage, res: ServerResponse, caller: Caller, url: URL): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
    const session = sessions.get(url.searchParams.get('sessionId') ?? '');
    if (!session) return sendJsonRpcError(res, null, new RegistryServerError('ERR_SESSION_NOT_FOUND', 'no such SSE session', 'not-found', `open ${REGISTRY_PATH}/sse first`));
    if (owners.check(REGISTRY_SERVER, url.searchParams.get('sessionId')!, callerOwner(caller)) !== 'owner') return sendJsonRpcError(res, null, new RegistryServerError('ERR_SESSION_OWNER', 'this SSE session belongs to another caller', 'denied'));
    const body = await readJsonRpcBody(req, res, MAX_BODY_BYTES);
    if (body === undefined) return;
    await session.transport.handlePostMessage(req, res, body);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://registry');
    // The MCP Registry API (Caddy routes <gateway>/v0.1 here unstripped).
    if (url.pathname === REGISTRY_API_PATH || url.pathname.startsWith(`${REGISTRY_API_PATH}/`)) return handleRegistryApi(registry, req, res);
    if (url.pathname === '/' || url.pathname === '/healthz') {
      return sendJson(res, 200, { name: 'mcpgw registry', streamable_http: `${REGISTRY_PATH}/mcp`, sse: `${REGISTRY_PATH}/sse` });
    }
    const endpoint = { '/mcp': 'mcp', '/sse': 'sse', '/messages': 'messages' }[url.pathname];
    if (!endpoint) return sendJson(res, 404, { error: 'not_found', message: `the registry serves ${REGISTRY_PATH}/mcp (Streamable HTTP) and ${REGISTRY_PATH}/sse (legacy SSE)` });
    let caller: Caller;
    try {
      caller = callerFromHeaders(req.headers);
    } catch (err) {
      if (!(err instanceof RegistryServerError)) throw err;
      return sendJsonRpcError(res, null, err);
    }
    if (endpoint === 'mcp') return streamable(req, res, caller);
    if (endpoint === 'sse') return openSse(req, res, caller);
    return postSse(req, res, caller, url);
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: Error) => {
      log(`error serving ${req.method} ${req.url}: ${err.message}`);
      sendError(res, err);
    });
  });
  const bound = await listenOn(server, options.listen);
  return {
    ...bound,
    close: async () => {
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => {})));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await registry.close();
    },
  };
}
