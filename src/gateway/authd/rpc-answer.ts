// authd's answers as data: the HTTP status, headers and body Caddy passes to the client. Every
// refusal is an McpgwError answered through the one JSON-RPC edge (core/errors.ts): the kind's
// HTTP status and JSON-RPC code, `data.code` the stable code, `data.*` what the client acts on.
import type { JsonRpcId } from '../../core/wire/mcp-request.js';
import { httpStatusOf, jsonRpcErrorOf, McpgwError, type ErrorKind } from '../../core/errors.js';

export interface AuthdAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** A refusal of authd's own (no token, unknown service, not granted, a spent limit …). */
export class AuthdRefusal extends McpgwError {
  constructor(code: string, message: string, kind: ErrorKind, details?: Record<string, unknown>) {
    super(code, message, kind, { details });
  }
}

/** The answer refusing a request (`id`: the JSON-RPC request's, when there was exactly one). */
export function refusal(id: JsonRpcId, err: McpgwError, headers: Record<string, string> = {}): AuthdAnswer {
  return {
    status: httpStatusOf(err.kind),
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(jsonRpcErrorOf(id, err)),
  };
}
