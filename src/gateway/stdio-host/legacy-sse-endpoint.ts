// /<service>/sse and /<service>/messages — the HTTP+SSE transport of protocol 2024-11-05,
// kept for older clients (deprecated since 2025-03-26). Runs on the SDK's SSE server transport.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { errorResponse, RPC } from './errors.js';
import type { HostedService } from './hosted-service.js';
import { readJsonRpcBody, sendJson } from '../../core/http/http-messages.js';

/**
 * The SDK's transport with a session id that names this node (`<node>.<uuid>`, so any node can
 * forward the message POSTs here). The SDK makes the id in its constructor and offers no option
 * for it; test/control/multi-node/legacy-sse-nodes.test.ts checks the id the endpoint event carries.
 */
function transportFor(endpoint: string, res: ServerResponse, sessionPrefix: string): SSEServerTransport {
  const transport = new SSEServerTransport(endpoint, res);
  const internal = transport as unknown as { _sessionId: string };
  if (sessionPrefix && typeof internal._sessionId === 'string') internal._sessionId = `${sessionPrefix}${internal._sessionId}`;
  return transport;
}

export class LegacySseEndpoint {
  private readonly streams = new Map<string, SSEServerTransport>();

  /** `sessionPrefix`: `<node>.` with node.peers (core/config/node-identity), else empty. */
  constructor(
    private readonly service: HostedService,
    private readonly sessionPrefix = '',
  ) {}

  /** GET …/sse: open the event stream; its first event names the POST endpoint. */
  async connect(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') return sendJson(res, 405, errorResponse(null, RPC.INVALID_REQUEST, 'Method Not Allowed'), { allow: 'GET' });
    // The gateway path, not /<name>: clients resolve the endpoint against the URL they used,
    // which is <gateway><service path>/sse behind Caddy.
    const transport = transportFor(`${this.service.definition.path}/messages`, res, this.sessionPrefix);
    const session = this.service.open({ stateful: true, send: (message) => void transport.send(message).catch(() => {}) });
    transport.onmessage = (message) => session.receive(message);
    transport.onclose = () => {
      session.close();
      this.streams.delete(transport.sessionId);
    };
    this.streams.set(transport.sessionId, transport);
    await transport.start();
  }

  /** POST …/messages?sessionId=…: one client message. */
  async post(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, errorResponse(null, RPC.INVALID_REQUEST, 'Method Not Allowed'), { allow: 'POST' });
    const transport = this.streams.get(url.searchParams.get('sessionId') ?? '');
    if (!transport) return sendJson(res, 404, errorResponse(null, RPC.INVALID_REQUEST, 'Session not found: open …/sse first'));
    const body = await readJsonRpcBody(req, res, this.service.definition.limits.max_body_bytes, 'limits.max_body_bytes');
    if (body === undefined) return;
    await transport.handlePostMessage(req, res, body);
  }

  async close(): Promise<void> {
    const transports = [...this.streams.values()];
    this.streams.clear();
    await Promise.all(transports.map((t) => t.close()));
  }
}
