// Errors of the probe feature, each with a stable code.

/** The whole check (connect, initialize, every ListTools page) exceeded `health.timeout`. */
export class ProbeTimeoutError extends Error {
  readonly code = 'ERR_PROBE_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

/** `tools approve` or `tools diff` on a service that has never been probed successfully. */
export class NoSnapshotError extends Error {
  readonly code = 'ERR_NO_SNAPSHOT';
  constructor(readonly service: string) {
    super(`no tool snapshot for "${service}" yet — run \`mcpgw probe ${service}\` first`);
    this.name = 'NoSnapshotError';
  }
}

/** A tool named for approval is not in the service's current snapshot. */
export class UnknownToolError extends Error {
  readonly code = 'ERR_UNKNOWN_TOOL';
  constructor(readonly service: string, readonly tool: string, available: string[]) {
    super(`"${service}" has no tool "${tool}" in its last snapshot (tools: ${available.join(', ') || 'none'})`);
    this.name = 'UnknownToolError';
  }
}
