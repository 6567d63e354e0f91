// What an MCP request asks for, from the 2026-07-28 `Mcp-Method`/`Mcp-Name` headers and/or the
// JSON-RPC body Caddy passes in X-Mcpgw-Body. Pure: strings in, calls out, MalformedRequestError
// for anything that is not a well-formed request (authd answers 400, never 500).
import { MalformedRequestError } from './errors.js';
import { decodeHeaderValue } from './mcp-header-value.js';
import { NAMED_METHODS } from '../policy/policy.js';

export type JsonRpcId = string | number | null;

/** One JSON-RPC message. `method` absent: no call (GET stream, DELETE, or a JSON-RPC response). */
export interface McpCall {
  method?: string;
  name?: string;
  id?: JsonRpcId;
}

export interface McpRequestParts {
  /** The JSON-RPC body, verbatim; empty or absent for GET and DELETE. */
  body?: string;
  mcpMethod?: string;
  mcpName?: string;
}

export interface ParsedMcpRequest {
  calls: McpCall[];
  batch: boolean;
  /** The id to answer a denial with: the single call's id, or null for a batch. */
  replyId: JsonRpcId;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function targetName(method: string, params: unknown): string {
  const list = NAMED_METHODS[method];
  const field = list === 'resources' ? 'uri' : 'name';
  const value = isObject(params) ? params[field] : undefined;
  if (typeof value !== 'string' || value === '') {
    throw new MalformedRequestError('ERR_NO_TARGET', `${method} needs params.${field} (a non-empty string)`);
  }
  return value;
}

function readId(msg: Json): JsonRpcId | undefined {
  const id = msg.id;
  if (id === undefined) return undefined;
  if (typeof id === 'string' || typeof id === 'number' || id === null) return id;
  throw new MalformedRequestError('ERR_BAD_ID', 'id must be a string, a number or null');
}

export function callOf(msg: unknown): McpCall {
  if (!isObject(msg)) throw new MalformedRequestError('ERR_NOT_JSONRPC', 'each JSON-RPC message must be an object');
  if (msg.jsonrpc !== '2.0') throw new MalformedRequestError('ERR_NOT_JSONRPC', 'jsonrpc must be "2.0"');
  const id = readId(msg);
  if ('method' in msg) {
    if (typeof msg.method !== 'string' || msg.method === '') throw new MalformedRequestError('ERR_NOT_JSONRPC', 'method must be a non-empty string');
    const call: McpCall = { method: msg.method, id };
    if (NAMED_METHODS[msg.method]) call.name = targetName(msg.method, msg.params);
    return call;
  }
  // A client's answer to a server request (sampling, elicitation): no method to grant.
  if ('result' in msg || 'error' in msg) return { id };
  throw new MalformedRequestError('ERR_NOT_JSONRPC', 'a JSON-RPC message needs a method, or a result or error');
}

function parseBody(body: string): { calls: McpCall[]; batch: boolean } {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new MalformedRequestError('ERR_BODY_NOT_JSON', 'the request body is not JSON', -32700);
  }
  if (Array.isArray(data)) {
    if (data.length === 0) throw new MalformedRequestError('ERR_EMPTY_BATCH', 'a JSON-RPC batch must not be empty');
    return { calls: data.map(callOf), batch: true };
  }
  return { calls: [callOf(data)], batch: false };
}

export function parseMcpRequest(parts: McpRequestParts): ParsedMcpRequest {
  const body = parts.body?.trim() ? parts.body : undefined;
  const headerCall: McpCall | undefined = parts.mcpMethod ? { method: parts.mcpMethod, name: parts.mcpName ? decodeHeaderValue(parts.mcpName) : undefined } : undefined;
  if (headerCall?.method && NAMED_METHODS[headerCall.method] && headerCall.name === undefined && !body) {
    throw new MalformedRequestError('ERR_NO_TARGET', `Mcp-Method ${headerCall.method} needs an Mcp-Name header`);
  }
  if (!body) {
    const call = headerCall ?? {};
    return { calls: [call], batch: false, replyId: null };
  }
  const parsed = parseBody(body);
  if (headerCall) {
    // The headers exist so intermediaries need not parse bodies; a mismatch means someone lies.
    if (parsed.batch) throw new MalformedRequestError('ERR_HEADER_MISMATCH', 'Mcp-Method was sent with a JSON-RPC batch body');
    const call = parsed.calls[0]!;
    if (call.method !== headerCall.method || (headerCall.name !== undefined && call.name !== headerCall.name)) {
      throw new MalformedRequestError('ERR_HEADER_MISMATCH', `Mcp-Method/Mcp-Name (${headerCall.method} ${headerCall.name ?? ''}) do not match the body (${call.method ?? 'no method'} ${call.name ?? ''})`.replace(/ \)/g, ')'));
    }
  }
  return { ...parsed, replyId: parsed.batch ? null : (parsed.calls[0]!.id ?? null) };
}
