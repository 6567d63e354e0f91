// /<service>/mcp — Streamable HTTP. Sessions of protocol versions 2025-03-26 … 2025-11-25
// (Mcp-Session-Id, GET stream, DELETE) run on the SDK's server transport; a POST without a
// session is served statelessly (2026-07-28 has no sessions) by core/wire/stateless-request.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, isJSONRPCRequest, type JSONRPCMessage, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { errorResponse, RPC } from './errors.js';
import type { HostedService } from './hosted-service.js';
import { headerValue, readJsonRpcBody, sendJson } from '../../core/http/http-messages.js';
import { isModernRequest, serveStatelessRequest, type StatelessExchange } from '../../core/wire/stateless-request.js';
import { modernResult, NOT_REUSABLE, type CachingHints } from '../../core/wire/modern-results.js';
import { listCachingOf } from '../../core/state/list-caching.js';
import { StreamableSessionLink } from './streamable-session-link.js';

/** A session with no open request for this long is ended; most clients never send DELETE. */
export const SESSION_IDLE_MS = 10 * 60_000;

interface SessionActivity {
  open: number;
  lastSeen: number;
}

export class StreamableEndpoint {
  private readonly sessions = new Map<string, StreamableHTTPServerTransport>();
  private readonly activity = new Map<StreamableHTTPServerTransport, SessionActivity>();
  private readonly links = new Map<StreamableHTTPServerTransport, StreamableSessionLink>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly service: HostedService,
    private readonly idleMs = SESSION_IDLE_MS,
    /** `<node id>.` when the gateway runs as several nodes (core/config/node-identity). */
    private readonly sessionPrefix = '',
  ) {
    this.sweeper = setInterval(() => this.endIdleSessions(), Math.min(60_000, idleMs));
    this.sweeper.unref();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sessionId = headerValue(req, 'mcp-session-id');
    if (req.method === 'POST') {
      const body = await readJsonRpcBody(req, res, this.service.definition.limits.max_body_bytes, 'limits.max_body_bytes');
      if (body === undefined) return;
      const opensSession = Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body);
      if (sessionId !== undefined) return this.withSession(sessionId, req, res, body);
      if (opensSession) return this.openSession(req, res, body);
      // Served on its own, briefly attached to the service's child.
      return serveStatelessRequest(req, res, body, (send) => (isModernRequest(req) ? this.modernExchange(send) : this.service.open({ stateful: false, send })));
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (sessionId !== undefined) return this.withSession(sessionId, req, res);
      // No session: nothing to stream or end (and 2026-07-28 has no GET stream at all).
      return sendJson(res, 405, errorResponse(null, RPC.INVALID_REQUEST, 'Method Not Allowed: GET and DELETE need an Mcp-Session-Id'), { allow: 'POST' });
    }
    sendJson(res, 405, errorResponse(null, RPC.INVALID_REQUEST, 'Method Not Allowed'), { allow: 'GET, POST, DELETE' });
  }

  /**
   * A 2026-07-28 request: its answer as a 2026-07-28 server gives it (core/wire/modern-results) —
   * `resultType`, the child's serverInfo in `_meta`, and on a cacheable result the caching hints
   * the spec requires of servers. The child speaks an older version and sends none, so a missing
   * hint is filled with "not reusable" (`ttlMs: 0`, `cacheScope: "private"`): whether its lists
   * are the same for every caller, or for how long, is not the host's to know. A child's own
   * hints are kept.
   */
  private modernExchange(send: (message: JSONRPCMessage) => void): StatelessExchange {
    let asked: JSONRPCRequest | undefined;
    const session = this.service.open({
      stateful: false,
      send: (message) => {
        if (!asked || !('result' in message) || message.id !== asked.id) return send(message);
        const result = message.result as Record<string, unknown>;
        const hints: CachingHints = { ...NOT_REUSABLE, ...listCachingOf(result) };
        const method = asked.method;
        const info = session.serverInfo() ?? Promise.reject(new Error('not placed'));
        info.then(
          (serverInfo) => send({ ...message, result: modernResult(method, result, serverInfo, () => hints) } as JSONRPCMessage),
          () => send(message),
        );
      },
    });
    return {
      receive: (request) => {
        asked = request;
        session.receive(request);
      },
      close: () => session.close(),
    };
  }

  /** Ends every session (the service was disabled or removed). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const transports = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(transports.map((t) => t.close()));
  }

  private async withSession(sessionId: string, req: IncomingMessage, res: ServerResponse, body?: unknown): Promise<void> {
    const transport = this.sessions.get(sessionId);
    // 404 tells a client its session is gone and it should initialize again (spec 2025-11-25, Session Management).
    if (!transport) return sendJson(res, 404, errorResponse(null, RPC.INVALID_REQUEST, 'Session not found'));
    this.track(transport, res);
    if (req.method === 'GET') this.links.get(transport)?.watchGetStream(res);
    await transport.handleRequest(req, res, body);
  }

  /** Counts open requests (a GET stream keeps a session alive) and remembers the last one. */
  private track(transport: StreamableHTTPServerTransport, res: ServerResponse): void {
    const seen = this.activity.get(transport) ?? { open: 0, lastSeen: Date.now() };
    this.activity.set(transport, seen);
    seen.open += 1;
    seen.lastSeen = Date.now();
    res.once('close', () => {
      seen.open -= 1;
      seen.lastSeen = Date.now();
    });
  }

  private endIdleSessions(): void {
    const now = Date.now();
    for (const [transport, seen] of this.activity) {
      if (seen.open === 0 && now - seen.lastSeen >= this.idleMs) void transport.close();
    }
  }

  private async openSession(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => `${this.sessionPrefix}${randomUUID()}`,
      onsessioninitialized: (id) => void this.sessions.set(id, transport),
      onsessionclosed: (id) => void this.sessions.delete(id),
    });
    let session: ReturnType<HostedService['open']> | undefined;
    const link = new StreamableSessionLink(transport, () => session?.inFlight() ?? []);
    session = this.service.open(link);
    this.links.set(transport, link);
    transport.onmessage = (message) => {
      if (isJSONRPCRequest(message)) link.requestArrived(message.id);
      session.receive(message);
    };
    transport.onclose = () => {
      session.close();
      this.activity.delete(transport);
      this.links.delete(transport);
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
    };
    await transport.start();
    this.track(transport, res);
    await transport.handleRequest(req, res, body);
  }
}
