// Errors of the stdio host. Each has a stable `code` for logs and scripts and the JSON-RPC
// error code a client receives when the error ends one of its requests.
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { errorResponse, RPC } from '../../core/wire/json-rpc.js';

export { errorResponse, RPC };
import { jsonRpcCodeOf, McpgwError, type ErrorKind } from '../../core/errors.js';


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


export function errorResponseFor(id: RequestId, err: unknown): JSONRPCMessage {
  if (err instanceof McpgwError) return errorResponse(id, jsonRpcCodeOf(err), err.message, err.details);
  return errorResponse(id, RPC.CHILD_UNAVAILABLE, err instanceof Error ? err.message : String(err));
}
