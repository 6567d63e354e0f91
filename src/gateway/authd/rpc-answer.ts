// authd's answers as data: the HTTP status, headers and body Caddy passes to the client, and the
// JSON-RPC error shape every refusal uses.
import type { JsonRpcId } from '../../core/wire/mcp-request.js';

export interface AuthdAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** JSON-RPC error codes of authd's answers (the -32000…-32099 range is for implementations). */
export const RPC_ERROR = { UNAUTHORIZED: -32001, UNAVAILABLE: -32002, FORBIDDEN: -32003, LIMITED: -32004 } as const;

export function rpcError(status: number, id: JsonRpcId, code: number, message: string, data: Record<string, unknown>, headers: Record<string, string> = {}): AuthdAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id, error: { code, message, data } }),
  };
}
