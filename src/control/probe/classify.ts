// Turns whatever a failed check threw into the status a user sees. Pure: errors in, words out.
import type { HealthStatus } from '../../core/state/snapshots.js';
import { ProbeTimeoutError } from './errors.js';

export interface FailedCheck {
  status: Exclude<HealthStatus, 'healthy' | 'unknown'>;
  reason: string;
}

/** MCP JSON-RPC error code the SDK uses when a request times out (ErrorCode.RequestTimeout). */
const MCP_REQUEST_TIMEOUT = -32001;
const MAX_REASON = 200;

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS)',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  ENOENT: 'command not found',
  EACCES: 'permission denied',
};

/** The error and its causes (fetch wraps socket errors in `cause`). */
function* causes(err: unknown): Generator<Record<string, unknown>> {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    yield e as Record<string, unknown>;
  }
}

function errnoCode(err: unknown): string | undefined {
  for (const e of causes(err)) if (typeof e.code === 'string' && e.code.startsWith('E')) return e.code;
  return undefined;
}

/** "connection refused (127.0.0.1:9000)", "command not found: foo" — or undefined when not a network/spawn error. */
function networkReason(err: unknown): string | undefined {
  const errno = errnoCode(err);
  if (errno && NETWORK_REASONS[errno]) {
    const at = errnoDetail(err);
    return `${NETWORK_REASONS[errno]}${at ? (errno === 'ENOENT' || errno === 'EACCES' ? `: ${at}` : ` (${at})`) : ''}`;
  }
  // The SSE transport flattens the cause into its message: "… connect ECONNREFUSED 127.0.0.1:9000".
  const text = err instanceof Error ? err.message : String(err);
  const m = /\b(E[A-Z_]+)(?: (\S+))?/.exec(text);
  if (m && NETWORK_REASONS[m[1]!]) return `${NETWORK_REASONS[m[1]!]}${m[2] ? ` (${m[2]})` : ''}`;
  return undefined;
}

/** Where it failed: address:port for sockets, the program for spawn errors. */
function errnoDetail(err: unknown): string | undefined {
  for (const e of causes(err)) {
    if (typeof e.address === 'string') return `${e.address}${typeof e.port === 'number' ? `:${e.port}` : ''}`;
    if (typeof e.path === 'string') return e.path;
  }
  return undefined;
}

function numericCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

function oneLine(text: string): string {
  const line = text.split('\n').map((l) => l.trim()).find(Boolean) ?? 'failed';
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

/** HTTP 401 from the upstream (StreamableHTTPError/SseError carry it as `code`; UnauthorizedError by name). */
export function isUnauthorized(err: unknown): boolean {
  return numericCode(err) === 401 || (err instanceof Error && err.name === 'UnauthorizedError');
}

export function classifyFailure(err: unknown): FailedCheck {
  if (err instanceof ProbeTimeoutError || numericCode(err) === MCP_REQUEST_TIMEOUT) {
    return { status: 'timeout', reason: err instanceof Error ? oneLine(err.message) : 'timed out' };
  }
  if (isUnauthorized(err)) return { status: 'auth-required', reason: 'the server answered 401: credentials missing or refused' };
  const network = networkReason(err);
  if (network) return { status: 'unhealthy', reason: network };
  const status = numericCode(err);
  if (status !== undefined && status >= 400 && status < 600) return { status: 'unhealthy', reason: `HTTP ${status}: ${oneLine(err instanceof Error ? err.message : String(err))}` };
  return { status: 'unhealthy', reason: oneLine(err instanceof Error ? err.message : String(err)) };
}
