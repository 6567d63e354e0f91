// mcpgw's one error type: a stable `code`, a message, an optional fix (`hint`) and a `kind`.
// Each edge maps the kind once: exit code (CLI, src/cli/exit-codes.ts), HTTP status, JSON-RPC
// error code and MCP tool error (below). Subclasses only fix code and kind.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

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

const HTTP_STATUS: Record<ErrorKind, number> = {
  'invalid-input': 400,
  unauthenticated: 401,
  denied: 403,
  'not-found': 404,
  conflict: 409,
  exists: 409,
  'too-large': 413,
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
  if (status !== undefined && status >= 400 && status < 500) return 'invalid-input';
  if (status === 502 || status === 503 || status === 504 || status === undefined) return 'unavailable';
  return 'runtime';
}

/** JSON-RPC codes: -32600 is the spec's; -32001…-32099 are for implementations. */
const JSON_RPC_CODE: Record<ErrorKind, number> = {
  'invalid-input': -32600,
  unauthenticated: -32001,
  unavailable: -32002,
  denied: -32003,
  'not-found': -32004,
  conflict: -32009,
  exists: -32009,
  'too-large': -32600,
  runtime: -32603,
};

export function jsonRpcCodeOf(err: McpgwError): number {
  return err.rpcCode ?? JSON_RPC_CODE[err.kind];
}

/** The JSON body a daemon answers an McpgwError with (`error` is the stable code). */
export function errorBody(err: McpgwError): { error: string; message: string; hint?: string; details?: Record<string, unknown> } {
  return { error: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}), ...(err.details ? { details: err.details } : {}) };
}

/** An MCP tool's error result: the code, message and fix as text and as structuredContent. */
export function toolErrorResult(err: McpgwError): CallToolResult {
  const error: Record<string, unknown> = { code: err.code, kind: err.kind, message: err.message };
  if (err.hint) error.hint = err.hint;
  if (err.details) Object.assign(error, err.details);
  const text = `${err.code}: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`;
  return { isError: true, content: [{ type: 'text', text }], structuredContent: { error } };
}
