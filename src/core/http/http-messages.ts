// Reading JSON-RPC bodies and writing JSON answers on node's http objects.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse, RPC } from '../wire/json-rpc.js';
import { readBodyCapped } from './request-body.js';

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/**
 * The parsed body, or undefined after answering 413 (over limits.max_body_bytes) or
 * 400 (not JSON) itself.
 */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<unknown> {
  const declared = Number(headerValue(req, 'content-length'));
  if (declared > maxBytes) {
    sendJson(res, 413, errorResponse(null, RPC.INVALID_REQUEST, `request body over ${maxBytes} bytes (limits.max_body_bytes)`), { connection: 'close' });
    return undefined;
  }
  const body = await readBodyCapped(req, maxBytes);
  if (!body) {
    sendJson(res, 413, errorResponse(null, RPC.INVALID_REQUEST, `request body over ${maxBytes} bytes (limits.max_body_bytes)`), { connection: 'close' });
    return undefined;
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    sendJson(res, 400, errorResponse(null, RPC.PARSE_ERROR, `Parse error: ${(err as Error).message}`));
    return undefined;
  }
}
