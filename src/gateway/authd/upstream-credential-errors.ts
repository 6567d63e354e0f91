// Why authd could not get a caller's upstream credential (token exchange, delegated OAuth):
// each says what to do next, and every one denies — the request never reaches the upstream.
import { McpgwError, type ErrorKind } from '../../core/errors.js';

export class UpstreamCredentialError extends McpgwError {
  constructor(code: string, kind: ErrorKind, message: string, hint: string, details: Record<string, unknown> = {}) {
    super(code, message, kind, { hint, details });
  }
}

/** An OAuth error answer (RFC 6749 §5.2) from a token endpoint, as openid-client reports it. */
export function oauthErrorOf(err: unknown): { error: string; description?: string } | undefined {
  const e = err as { error?: unknown; error_description?: unknown; code?: unknown };
  if (e?.code !== 'OAUTH_RESPONSE_BODY_ERROR' || typeof e.error !== 'string') return undefined;
  return { error: e.error, ...(typeof e.error_description === 'string' ? { description: e.error_description } : {}) };
}
