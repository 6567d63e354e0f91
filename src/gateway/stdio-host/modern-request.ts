// Checks for requests of protocol revision 2026-07-28, which has no sessions: each POST
// carries its version and mirrors `method` and `params.name`/`params.uri` into headers, which
// must match the body (spec 2026-07-28, Streamable HTTP, "Request Metadata", "Server Validation").
import type { IncomingHttpHeaders } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { errorResponse, RPC } from './errors.js';
import { decodeHeaderValue } from '../../core/wire/mcp-header-value.js';

import { MODERN_PROTOCOL_VERSION } from '../../core/wire/contract.js';

export { MODERN_PROTOCOL_VERSION };
const NAMED_METHODS: Record<string, 'name' | 'uri'> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

export interface RequestProblem {
  status: number;
  body: JSONRPCMessage;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}


/** Why a session-less request must be refused (400 and a JSON-RPC error), or undefined when it may be served. */
export function modernRequestProblem(headers: IncomingHttpHeaders, body: unknown): RequestProblem | undefined {
  const version = header(headers, 'mcp-protocol-version');
  const id = typeof body === 'object' && body !== null && 'id' in body ? ((body as { id: string | number }).id ?? null) : null;
  const mismatch = (message: string): RequestProblem => ({ status: 400, body: errorResponse(id, RPC.HEADER_MISMATCH, `Header mismatch: ${message}`) });
  if (version === undefined) return undefined; // a pre-2025-06-18 client: treated as 2025-03-26
  if (version !== MODERN_PROTOCOL_VERSION && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    return {
      status: 400,
      body: errorResponse(id, RPC.UNSUPPORTED_VERSION, 'Unsupported protocol version', { supported: [MODERN_PROTOCOL_VERSION, ...SUPPORTED_PROTOCOL_VERSIONS], requested: version }),
    };
  }
  if (version !== MODERN_PROTOCOL_VERSION) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as { method?: unknown }).method !== 'string') {
    return { status: 400, body: errorResponse(id, RPC.INVALID_REQUEST, 'the body must be one JSON-RPC request or notification') };
  }
  const { method, params } = body as { method: string; params?: Record<string, unknown> };
  const methodHeader = header(headers, 'mcp-method');
  if (methodHeader === undefined) return mismatch('the Mcp-Method header is missing');
  if (methodHeader !== method) return mismatch(`Mcp-Method header value '${methodHeader}' does not match body value '${method}'`);
  const nameField = NAMED_METHODS[method];
  if (nameField) {
    const nameHeader = header(headers, 'mcp-name');
    const bodyName = params?.[nameField];
    if (nameHeader === undefined) return mismatch('the Mcp-Name header is missing');
    if (decodeHeaderValue(nameHeader) !== bodyName) return mismatch(`Mcp-Name header value '${nameHeader}' does not match body value '${String(bodyName)}'`);
  }
  const metaVersion = (params?._meta as Record<string, unknown> | undefined)?.['io.modelcontextprotocol/protocolVersion'];
  if (metaVersion !== undefined && metaVersion !== version) return mismatch(`MCP-Protocol-Version header value '${version}' does not match _meta value '${String(metaVersion)}'`);
  return undefined;
}
