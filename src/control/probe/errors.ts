// Errors of the probe feature, each with a stable code and a kind (src/core/errors.ts).
import { McpgwError } from '../../core/errors.js';

/** The whole check (connect, initialize, every ListTools page) exceeded `health.timeout`. */
export class ProbeTimeoutError extends McpgwError {
  constructor(readonly timeoutMs: number) {
    super('ERR_PROBE_TIMEOUT', `no answer within ${timeoutMs} ms`, 'unavailable');
  }
}
