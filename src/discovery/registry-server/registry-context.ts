// What every registry tool, resource and transport shares: the checkout, and how to tell who
// sent the request being handled (identity is read per request, never kept per session).
import type { Caller, HeaderMap } from './caller.js';
import type { ApplyScheduler } from './service-changes.js';

/** The part of the SDK's per-request `extra` the registry reads. */
export interface RequestExtra {
  requestInfo?: { headers: HeaderMap };
}

export interface RegistryContext {
  /** The mcpgw checkout (mcpgw.yaml, registry.d/, scopes.yml). */
  root: string;
  callerOf(extra: RequestExtra): Caller;
  /** Over HTTP (behind Caddy): apply registry changes after answering. Absent: apply before. */
  afterAnswer?: ApplyScheduler;
}
