// The error of the MCP request classifier: what arrived is not a well-formed MCP request.
import { McpgwError } from '../errors.js';
import type { JsonRpcId } from './mcp-request.js';

/** Invalid input with the JSON-RPC code to answer with: -32700 parse error, -32600 invalid request, -32020 header mismatch, -32022 unsupported version. */
export class MalformedRequestError extends McpgwError {
  /** The id of the request refused, when it could be read (the answer carries it). */
  readonly replyId: JsonRpcId;
  constructor(code: string, message: string, rpcCode = -32600, options: { replyId?: JsonRpcId; details?: Record<string, unknown> } = {}) {
    super(code, message, 'invalid-input', { rpcCode, details: options.details });
    this.replyId = options.replyId ?? null;
  }
}
