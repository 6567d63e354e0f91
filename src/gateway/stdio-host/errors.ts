// Errors of the stdio host. Each has a stable `code` for logs and scripts and the JSON-RPC
// error code a client receives when the error ends one of its requests.
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { errorResponse, RPC } from '../../core/wire/json-rpc.js';
import { jsonRpcErrorOf, McpgwError, type ErrorKind, type McpgwErrorOptions } from '../../core/errors.js';

export { errorResponse, RPC };

/** A request of the host's ended by its child or a limit (`rpcCode`: what the client sees), or one it cannot route. */
export class StdioHostError extends McpgwError {
  constructor(code: string, message: string, kind: ErrorKind, options: McpgwErrorOptions = {}) {
    super(code, message, kind, options);
  }
}

/** The child exited, was killed for a limit, or could not be started. */
export class ChildUnavailableError extends StdioHostError {
  constructor(message: string) {
    super('ERR_CHILD_UNAVAILABLE', message, 'unavailable', { rpcCode: RPC.CHILD_UNAVAILABLE });
  }
}

/** A limit from the service's `limits:` was hit. */
export class LimitReachedError extends StdioHostError {
  constructor(limit: 'max_concurrent' | 'timeout' | 'memory_mb', message: string, value: number) {
    super(limit === 'timeout' ? 'ERR_REQUEST_TIMEOUT' : 'ERR_LIMIT_REACHED', message, 'unavailable', { rpcCode: limit === 'timeout' ? RPC.TIMEOUT : RPC.LIMIT_REACHED, details: { limit, value } });
  }
}


/** The answer to a request the host could not complete: a failure that is not ours means the child is gone. */
export function errorResponseFor(id: RequestId, err: unknown): JSONRPCMessage {
  return jsonRpcErrorOf(id, err instanceof McpgwError ? err : new ChildUnavailableError(err instanceof Error ? err.message : String(err)));
}
