// Errors of the stdio host. Each has a stable `code` for logs and scripts and the JSON-RPC
// error code a client receives when the error ends one of its requests.
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { jsonRpcCodeOf, McpgwError, type ErrorKind } from '../../core/errors.js';

/** JSON-RPC error codes the host answers with (-32000…-32099 is for implementations). */
export const RPC = {
  /** The stdio server exited (or could not start) while the request was in flight. */
  CHILD_UNAVAILABLE: -32000,
  /** limits.timeout passed before the server answered (the SDK's RequestTimeout code). */
  TIMEOUT: -32001,
  /** limits.max_concurrent requests are already in flight. */
  LIMIT_REACHED: -32005,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  PARSE_ERROR: -32700,
  /** 2026-07-28: Mcp-Method / Mcp-Name headers missing or not matching the body. */
  HEADER_MISMATCH: -32020,
  /** 2026-07-28: UnsupportedProtocolVersionError. */
  UNSUPPORTED_VERSION: -32022,
} as const;

/** A request of the host's ended by its child or a limit; `rpcCode` is what the client sees. */
export class StdioHostError extends McpgwError {
  constructor(code: string, message: string, kind: ErrorKind, rpcCode: number, details?: Record<string, unknown>) {
    super(code, message, kind, { rpcCode, details });
  }
}

/** The child exited, was killed for a limit, or could not be started. */
export class ChildUnavailableError extends StdioHostError {
  constructor(message: string) {
    super('ERR_CHILD_UNAVAILABLE', message, 'unavailable', RPC.CHILD_UNAVAILABLE);
  }
}

/** A limit from the service's `limits:` was hit. */
export class LimitReachedError extends StdioHostError {
  constructor(limit: 'max_concurrent' | 'timeout' | 'memory_mb', message: string, value: number) {
    super(limit === 'timeout' ? 'ERR_REQUEST_TIMEOUT' : 'ERR_LIMIT_REACHED', message, 'unavailable', limit === 'timeout' ? RPC.TIMEOUT : RPC.LIMIT_REACHED, { limit, value });
  }
}

export function errorResponse(id: RequestId | null, code: number, message: string, data?: unknown): JSONRPCMessage {
  const error = data === undefined ? { code, message } : { code, message, data };
  // id null is allowed by JSON-RPC for errors that cannot name a request (parse errors).
  return { jsonrpc: '2.0', id, error } as unknown as JSONRPCMessage;
}

export function errorResponseFor(id: RequestId, err: unknown): JSONRPCMessage {
  if (err instanceof McpgwError) return errorResponse(id, jsonRpcCodeOf(err), err.message, err.details);
  return errorResponse(id, RPC.CHILD_UNAVAILABLE, err instanceof Error ? err.message : String(err));
}
