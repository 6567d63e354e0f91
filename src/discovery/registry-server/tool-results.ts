// What a registry tool answers: JSON as text (every client can read it) plus the same value as
// structuredContent; an McpgwError becomes `isError: true` with its stable code and fix.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isMcpgwError, toolErrorResult } from '../../core/errors.js';

export function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

/** An McpgwError as an error result; anything else is unexpected and rethrown (the SDK reports it as is). */
export function failureResult(err: unknown): CallToolResult {
  if (isMcpgwError(err)) return toolErrorResult(err);
  throw err;
}

/** Run a tool body: its value as a JSON result, an McpgwError as an error result. */
export async function toolAnswer(body: () => Promise<Record<string, unknown>>): Promise<CallToolResult> {
  try {
    return jsonResult(await body());
  } catch (err) {
    return failureResult(err);
  }
}
