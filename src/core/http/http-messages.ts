// The one set of HTTP helpers of mcpgw's daemons (authd, the stdio host, the registry server,
// the web UI) on node's http objects: header values, JSON answers, redirects, capped JSON bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asMcpgwError, httpErrorAnswer, httpStatusOf, jsonRpcErrorOf, McpgwError } from '../errors.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { RPC } from '../wire/json-rpc.js';
import { readBodyCapped } from './request-body.js';

/** Request headers as node gives them (lower-case names) or as the MCP SDK passes them on. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** The first value of a header (node joins most repeats, but not all: set-cookie, some custom ones). */
export function firstHeader(headers: HeaderMap | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  return firstHeader(req.headers, name);
}

export type ResponseHeaders = Record<string, string | string[]>;

/** A JSON answer (never cached). After the head has gone out, only ends the response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: ResponseHeaders = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}

export function redirect(res: ServerResponse, location: string, headers: ResponseHeaders = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(302, { location, 'cache-control': 'no-store', ...headers }).end();
}

/** The HTTP edge of the one error type: the kind's status and `{error, message, hint?, details?}`. */
export function sendError(res: ServerResponse, err: unknown, headers: ResponseHeaders = {}): void {
  const answer = httpErrorAnswer(err);
  sendJson(res, answer.status, answer.body, headers);
}

/**
 * The same for a JSON-RPC endpoint: the kind's status and a JSON-RPC error (`data.code` is the
 * stable code). A body over the limit also closes the connection: its rest was not read.
 */
export function sendJsonRpcError(res: ServerResponse, id: RequestId | null, err: unknown, headers: ResponseHeaders = {}): void {
  const e = asMcpgwError(err);
  sendJson(res, httpStatusOf(e.kind), jsonRpcErrorOf(id, e), e.kind === 'too-large' ? { connection: 'close', ...headers } : headers);
}

/** A request body over the endpoint's limit (413), or one that is not JSON (400, JSON-RPC -32700). */
export class RequestBodyError extends McpgwError {
  static tooLarge(maxBytes: number, setting?: string): RequestBodyError {
    return new RequestBodyError('ERR_BODY_TOO_LARGE', `request body over ${maxBytes} bytes${setting ? ` (${setting})` : ''}`, 'too-large', RPC.INVALID_REQUEST);
  }

  static notJson(why: string): RequestBodyError {
    return new RequestBodyError('ERR_BODY_NOT_JSON', `Parse error: the request body is not JSON: ${why}`, 'invalid-input', RPC.PARSE_ERROR);
  }

  private constructor(code: string, message: string, kind: 'too-large' | 'invalid-input', rpcCode: number) {
    super(code, message, kind, { rpcCode });
  }
}

/** A JSON-RPC endpoint's body, or undefined after answering why it cannot be read. */
export async function readJsonRpcBody(req: IncomingMessage, res: ServerResponse, maxBytes: number, setting?: string): Promise<unknown> {
  try {
    return await readJsonBody(req, maxBytes, { setting });
  } catch (err) {
    if (!(err instanceof RequestBodyError)) throw err;
    sendJsonRpcError(res, null, err);
    return undefined;
  }
}

export interface JsonBodyOptions {
  /** What an empty body stands for (the web UI's bodiless POSTs: `{}`); absent, it is not JSON. */
  empty?: unknown;
  /** The setting that names the limit, for the message (e.g. `limits.max_body_bytes`). */
  setting?: string;
}

/** The parsed body; RequestBodyError when it is over `maxBytes` (the rest is not read) or not JSON. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number, options: JsonBodyOptions = {}): Promise<unknown> {
  const declared = Number(headerValue(req, 'content-length'));
  if (declared > maxBytes) throw RequestBodyError.tooLarge(maxBytes, options.setting);
  const body = await readBodyCapped(req, maxBytes);
  if (!body) throw RequestBodyError.tooLarge(maxBytes, options.setting);
  if (body.length === 0 && 'empty' in options) return options.empty;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw RequestBodyError.notJson((err as Error).message);
  }
}
