// What every registry tool, resource and transport shares: the process's registry service, how
// to tell who sent the request being handled (identity is read per request, never kept per
// session), and when a change made by that request may be applied.
import type { ApplyWhen } from '../../control/registry/serialized-apply.js';
import type { RegistryService } from '../../control/registry/registry-service.js';
import type { Caller, HeaderMap } from './caller.js';

/** The part of the SDK's per-request `extra` the registry reads. */
export interface RequestExtra {
  requestInfo?: { headers: HeaderMap };
}

export interface RegistryContext {
  registry: RegistryService;
  callerOf(extra: RequestExtra): Caller;
  /**
   * Over HTTP (behind Caddy): after this request's answer has left, since it passes through the
   * Caddy being reconfigured. Absent (stdio): apply before answering, and report the result.
   */
  applyWhen?: () => ApplyWhen;
}
