// Errors of the probe feature, each with a stable code and a kind (src/core/errors.ts).
import { McpgwError } from '../../core/errors.js';

/** The whole check (connect, initialize, every ListTools page) exceeded `health.timeout`. */
export class ProbeTimeoutError extends McpgwError {
  constructor(readonly timeoutMs: number) {
    super('ERR_PROBE_TIMEOUT', `no answer within ${timeoutMs} ms`, 'unavailable');
  }
}

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
