// JSON-RPC error answers the gateway's daemons send, and the codes they use
// (-32000…-32099 is the range JSON-RPC 2.0 leaves to implementations).
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';

/** JSON-RPC error codes of the stdio host and the HTTP helpers. */
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

export function errorResponse(id: RequestId | null, code: number, message: string, data?: unknown): JSONRPCMessage {
  const error = data === undefined ? { code, message } : { code, message, data };
  // id null is allowed by JSON-RPC for errors that cannot name a request (parse errors).
  return { jsonrpc: '2.0', id, error } as unknown as JSONRPCMessage;
}
