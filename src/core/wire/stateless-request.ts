// A POST without a session: a 2026-07-28 request (no sessions in that revision) or a client
// that skipped initialize. Its headers are checked against the body by the gateway's one
// classifier (mcp-request.ts, as authd does); the request is then handed to whoever serves it
// (the stdio host: its service's child; the registry server: a fresh MCP server) through `open`,
// and its answer goes back as JSON, or as an SSE stream when the client asked for progress and
// accepts SSE. The stdio host and the registry MCP server both serve session-less POSTs here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJSONRPCRequest, type JSONRPCMessage, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { errorResponse, RPC } from './json-rpc.js';
import { headerValue, sendJson } from '../http/http-messages.js';
import { mcpParamHeaders, parseMcpRequest } from './mcp-request.js';
import { MalformedRequestError } from './errors.js';
import { jsonRpcCodeOf } from '../errors.js';
import { headerKey, MCP_HEADER, MODERN_PROTOCOL_VERSION } from './contract.js';

export interface RequestProblem {
  status: number;
  body: JSONRPCMessage;
}

/** One request being served: what `open` returns. */
export interface StatelessExchange {
  receive(request: JSONRPCRequest): void;
  /** The answer has left, or the client went away (which cancels the request). */
  close(): void;
}

/** Opens an exchange whose messages (progress, then the answer) go to `send`. */
export type OpenExchange = (send: (message: JSONRPCMessage) => void) => StatelessExchange;

/** Why a session-less request must be refused (400 and the spec's JSON-RPC error), or undefined when it may be served. */
export function statelessRequestProblem(req: Pick<IncomingMessage, 'headers'>, body: unknown): RequestProblem | undefined {
  const header = (name: string) => headerValue(req as IncomingMessage, headerKey(name));
  try {
    parseMcpRequest({ message: body, protocolVersion: header(MCP_HEADER.protocolVersion), mcpMethod: header(MCP_HEADER.method), mcpName: header(MCP_HEADER.name), mcpParams: mcpParamHeaders(req.headers) });
    return undefined;
  } catch (err) {
    if (!(err instanceof MalformedRequestError)) throw err;
    return { status: 400, body: errorResponse(err.replyId, jsonRpcCodeOf(err), err.message, err.details) };
  }
}

/** Is this a request of the session-less revision (2026-07-28)? */
export function isModernRequest(req: Pick<IncomingMessage, 'headers'>): boolean {
  return headerValue(req as IncomingMessage, headerKey(MCP_HEADER.protocolVersion)) === MODERN_PROTOCOL_VERSION;
}

export function serveStatelessRequest(req: IncomingMessage, res: ServerResponse, body: unknown, open: OpenExchange): void {
  const problem = statelessRequestProblem(req, body);
  if (problem) return sendJson(res, problem.status, problem.body);
  if (Array.isArray(body)) {
    return sendJson(res, 400, errorResponse(null, RPC.INVALID_REQUEST, 'Bad Request: a batch needs a session — send initialize first'));
  }
  if (!isJSONRPCRequest(body)) {
    // Notifications and responses have nothing to attach to without a session.
    if (typeof body === 'object' && body !== null && 'jsonrpc' in body) return void res.writeHead(202).end();
    return sendJson(res, 400, errorResponse(null, RPC.INVALID_REQUEST, 'Bad Request: not a JSON-RPC message'));
  }
  const request = body;
  const modern = isModernRequest(req);
  const wantsProgress = (request.params?._meta as { progressToken?: unknown } | undefined)?.progressToken !== undefined;
  const stream = wantsProgress && (headerValue(req, 'accept') ?? '').includes('text/event-stream');
  let done = false;
  const finish = () => {
    done = true;
    exchange.close();
  };
  const exchange = open((message: JSONRPCMessage) => {
    if (done) return;
    const final = !('method' in message) && 'id' in message && message.id === request.id;
    if (stream) {
      if (!res.headersSent) res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
      res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
      if (final) res.end();
    } else if (final) {
      // 2026-07-28: an unknown method is answered 404 with the JSON-RPC error.
      const notFound = modern && 'error' in message && message.error.code === RPC.METHOD_NOT_FOUND;
      sendJson(res, notFound ? 404 : 200, message);
    }
    if (final) finish();
  });
  // Closing the response stream cancels the request (spec 2026-07-28, "Cancellation").
  res.on('close', () => {
    if (!done) finish();
  });
  exchange.receive(request);
}
