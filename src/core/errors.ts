// mcpgw's one error type: a stable `code`, a message, an optional fix (`hint`) and a `kind`.
// Each edge maps the kind once: exit code (CLI, src/cli/exit-codes.ts), HTTP status and body,
// JSON-RPC error and MCP tool error (below). Subclasses only fix code and kind.
import type { CallToolResult, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { errorResponse } from './wire/json-rpc.js';

/** What went wrong, as a caller would act on it. */
export type ErrorKind =
  /** Bad files, flags, arguments or request; nothing was changed. */
  | 'invalid-input'
  /** No credential, or one that is expired, malformed or not ours. */
  | 'unauthenticated'
  /** The identity is known but lacks the right. */
  | 'denied'
  /** The named thing does not exist. */
  | 'not-found'
  /** Someone else changed it between our read and our write: try again. */
  | 'conflict'
  /** What would be created already exists: pick another name or overwrite on purpose. */
  | 'exists'
  /** The request is larger than a limit allows. */
  | 'too-large'
  /** A rate limit, quota or concurrency cap is spent: try again after a while. */
  | 'limited'
  /** A dependency (Caddy, the provider, a child process) did not answer; try again later. */
  | 'unavailable'
  /** Anything else that failed while running. */
  | 'runtime';

export interface McpgwErrorOptions {
  hint?: string;
  /** Machine-readable extras an edge may show (e.g. `{ missing: 'register' }`). */
  details?: Record<string, unknown>;
  /** A JSON-RPC code more exact than the kind's (e.g. -32700 parse error). */
  rpcCode?: number;
  cause?: unknown;
}

export class McpgwError extends Error {
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
  readonly rpcCode?: number;
  constructor(
    readonly code: string,
    message: string,
    readonly kind: ErrorKind,
    options: McpgwErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.details !== undefined) this.details = options.details;
    if (options.rpcCode !== undefined) this.rpcCode = options.rpcCode;
  }
}

export function isMcpgwError(err: unknown): err is McpgwError {
  return err instanceof McpgwError;
}

/** Any thrown value as the one error type: one that is not ours is a runtime failure. */
export function asMcpgwError(err: unknown): McpgwError {
  if (err instanceof McpgwError) return err;
  return new McpgwError('ERR_INTERNAL', err instanceof Error ? err.message : String(err), 'runtime', { cause: err });
}

const HTTP_STATUS: Record<ErrorKind, number> = {
  'invalid-input': 400,
  unauthenticated: 401,
  denied: 403,
  'not-found': 404,
  conflict: 409,
  exists: 409,
  'too-large': 413,
  limited: 429,
  unavailable: 503,
  runtime: 500,
};

export function httpStatusOf(kind: ErrorKind): number {
  return HTTP_STATUS[kind];
}

/** The kind an HTTP answer of another part (the gateway, a provider) stands for. */
export function kindOfHttpStatus(status: number | undefined): ErrorKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'denied';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-large';
  if (status === 429) return 'limited';
  if (status !== undefined && status >= 400 && status < 500) return 'invalid-input';
  if (status === 502 || status === 503 || status === 504 || status === undefined) return 'unavailable';
  return 'runtime';
}

/**
 * JSON-RPC codes: -32600/-32602/-32603 are the spec's (MCP answers an unknown tool with -32602);
 * -32001…-32099 are for implementations (authd's documented ones: README "Access control").
 */
const JSON_RPC_CODE: Record<ErrorKind, number> = {
  'invalid-input': -32600,
  unauthenticated: -32001,
  unavailable: -32002,
  denied: -32003,
  limited: -32004,
  'not-found': -32602,
  conflict: -32009,
  exists: -32009,
  'too-large': -32600,
  runtime: -32603,
};

export function jsonRpcCodeOf(err: McpgwError): number {
  return err.rpcCode ?? JSON_RPC_CODE[err.kind];
}

export interface ErrorBody {
  /** The stable code (`ERR_…`). */
  error: string;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

/** The JSON body a daemon answers an McpgwError with (`error` is the stable code). */
export function errorBody(err: McpgwError): ErrorBody {
  return { error: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}), ...(err.details ? { details: err.details } : {}) };
}

/** The HTTP edge (the web UI's API, the daemons' own endpoints): the kind's status and the error body. */
export function httpErrorAnswer(err: unknown): { status: number; body: ErrorBody } {
  const e = asMcpgwError(err);
  return { status: httpStatusOf(e.kind), body: errorBody(e) };
}

/**
 * The JSON-RPC edge: an error answer whose `data` carries the stable code, the fix and the
 * details. Clients show only the message, so it carries the fix too (`message — hint`).
 */
export function jsonRpcErrorOf(id: RequestId | null, err: McpgwError): JSONRPCMessage {
  const message = err.hint ? `${err.message} — ${err.hint}` : err.message;
  return errorResponse(id, jsonRpcCodeOf(err), message, { code: err.code, ...(err.hint ? { hint: err.hint } : {}), ...err.details });
}

/** An MCP tool's error result: the code, message and fix as text and as structuredContent. */
export function toolErrorResult(err: McpgwError): CallToolResult {
  const error: Record<string, unknown> = { code: err.code, kind: err.kind, message: err.message };
  if (err.hint) error.hint = err.hint;
  if (err.details) Object.assign(error, err.details);
  const text = `${err.code}: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`;
  return { isError: true, content: [{ type: 'text', text }], structuredContent: { error } };
}
