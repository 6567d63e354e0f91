// The error of the MCP request classifier: what arrived is not a well-formed MCP request.
import { McpgwError } from '../errors.js';

/** Invalid input with the JSON-RPC code to answer with: -32700 parse error, -32600 invalid request. */
export class MalformedRequestError extends McpgwError {
  constructor(code: string, message: string, rpcCode = -32600) {
    super(code, message, 'invalid-input', { rpcCode });
  }
}
