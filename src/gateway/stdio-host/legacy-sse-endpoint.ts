// /<service>/sse and /<service>/messages — the HTTP+SSE transport of protocol 2024-11-05,
// kept for older clients (deprecated since 2025-03-26). Runs on the SDK's SSE server transport.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { errorResponse, RPC } from './errors.js';
import type { HostedService } from './hosted-service.js';
import { readJsonRpcBody, sendJson } from '../../core/http/http-messages.js';

export class LegacySseEndpoint {
  private readonly streams = new Map<string, SSEServerTransport>();

  constructor(private readonly service: HostedService) {}

  /** GET …/sse: open the event stream; its first event names the POST endpoint. */
  async connect(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') return sendJson(res, 405, errorResponse(null, RPC.INVALID_REQUEST, 'Method Not Allowed'), { allow: 'GET' });
    // The gateway path, not /<name>: clients resolve the endpoint against the URL they used,
    // which is <gateway><service path>/sse behind Caddy.
    const transport = new SSEServerTransport(`${this.service.definition.path}/messages`, res);
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
