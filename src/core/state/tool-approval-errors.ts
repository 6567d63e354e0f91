// Errors of tool approvals (`mcpgw tools approve` / `tools diff`), each with a stable code and a kind.
import { McpgwError } from '../errors.js';

/** `tools approve` or `tools diff` on a service that has never been probed successfully. */
export class NoSnapshotError extends McpgwError {
  constructor(readonly service: string) {
    super('ERR_NO_SNAPSHOT', `no tool snapshot for "${service}" yet`, 'not-found', { hint: `run \`mcpgw probe ${service}\` first` });
  }
}

/** A tool named for approval is not in the service's current snapshot. */
export class UnknownToolError extends McpgwError {
  constructor(readonly service: string, readonly tool: string, available: string[]) {
    super('ERR_UNKNOWN_TOOL', `"${service}" has no tool "${tool}" in its last snapshot (tools: ${available.join(', ') || 'none'})`, 'not-found');
  }
}
