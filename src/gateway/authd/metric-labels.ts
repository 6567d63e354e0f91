// Label values for authd's metrics, bounded by what the configuration knows: a service label
// only for defined services, a tool label only for tools a definition or snapshot names, a
// method only from the MCP method list, a reason from a fixed set. Everything else is "other".
// Identities, arguments and free text never become labels. Pure.
import type { AuditEntry } from '../../core/state/audit-trail.js';

export const OTHER = 'other';

/** MCP methods (2025-06-18 and 2026-07-28) — the only values the method label takes. */
const MCP_METHODS = new Set([
  'initialize', 'ping', 'tools/list', 'tools/call', 'resources/list', 'resources/templates/list', 'resources/read',
  'resources/subscribe', 'resources/unsubscribe', 'prompts/list', 'prompts/get', 'completion/complete', 'logging/setLevel',
  'sampling/createMessage', 'elicitation/create', 'roots/list', 'notifications/initialized', 'notifications/cancelled',
  'notifications/progress', 'notifications/roots/list_changed', 'server/discover',
]);

export interface KnownNames {
  hasService(service: string): boolean;
  /** Is this a tool of the service's definition (`tools:`) or of its last snapshot? */
  hasTool(service: string, tool: string): boolean;
}

/** Reasons that are codes (ERR_NO_TOKEN, service_disabled …) are kept; sentences map by status. */
const CODE = /^(ERR_[A-Z0-9_]+|[a-z]+(_[a-z]+)+)$/;
const BY_STATUS: Record<number, string> = { 400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 413: 'too_large', 429: 'rate_limited', 431: 'too_large', 503: 'unavailable' };

export function reasonLabel(entry: Pick<AuditEntry, 'status' | 'reason' | 'decision'>): string {
  if (entry.decision === 'allow') return entry.reason === 'auth: none' ? 'auth_none' : 'granted';
  // A code, or a code and a message (`authd_error: …`): the code.
  const code = entry.reason.split(':', 1)[0]!;
  if (CODE.test(code)) return code.replace(/^ERR_/, '').toLowerCase();
  if (entry.status === 403 && entry.reason.startsWith('origin ')) return 'origin';
  if (entry.status === 403 && entry.reason === 'unknown service') return 'unknown_service';
  return BY_STATUS[entry.status] ?? (entry.status >= 500 ? 'unavailable' : 'denied');
}

export function serviceLabel(known: KnownNames, service: string): string {
  return known.hasService(service) ? service : OTHER;
}

export function methodLabel(method: string | null): string {
  if (method === null) return 'none';
  return MCP_METHODS.has(method) ? method : OTHER;
}

export function toolLabel(known: KnownNames, service: string, tool: string | null): string {
  if (tool === null) return 'none';
  return known.hasTool(service, tool) ? tool : OTHER;
}

/** All labels of mcpgw_decisions_total for one audit entry. */
export function decisionLabels(known: KnownNames, entry: Pick<AuditEntry, 'server' | 'method' | 'tool' | 'decision' | 'status' | 'reason'>) {
  const service = serviceLabel(known, entry.server);
  return {
    service,
    method: methodLabel(entry.method),
    tool: service === OTHER ? (entry.tool === null ? 'none' : OTHER) : toolLabel(known, entry.server, entry.tool),
    decision: entry.decision,
    reason: reasonLabel(entry),
  };
}
