// What a registry tool answers: JSON as text (every client can read it) plus the same value as
// structuredContent; a known failure becomes `isError: true` with its stable code and fix.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { GatewayCallError } from './errors.js';

export function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

interface CodedError {
  code: string;
  message: string;
  hint?: string;
}

/** mcpgw's own errors carry `code: 'ERR_…'`; anything else is unexpected and is rethrown. */
function isCoded(err: unknown): err is Error & CodedError {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('ERR_');
}

export function errorResult(err: Error & CodedError): CallToolResult {
  const error: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.hint) error.hint = err.hint;
  if (err instanceof GatewayCallError) Object.assign(error, { status: err.status, gateway_code: err.gatewayCode });
  const text = `${err.code}: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`;
  return { isError: true, content: [{ type: 'text', text }], structuredContent: { error } };
}

/** A coded error as an error result; anything else is rethrown (the SDK reports it as is). */
export function failureResult(err: unknown): CallToolResult {
  if (isCoded(err)) return errorResult(err);
  throw err;
}

/** Run a tool body: its value as a JSON result, a coded error as an error result. */
export async function toolAnswer(body: () => Promise<Record<string, unknown>>): Promise<CallToolResult> {
  try {
    return jsonResult(await body());
  } catch (err) {
    return failureResult(err);
  }
}
