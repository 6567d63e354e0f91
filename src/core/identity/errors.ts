// Errors of identity (tokens, keys, logins), each with a stable `code` and a kind; authd answers
// with the kind's HTTP status (src/core/errors.ts).
import { httpStatusOf, McpgwError, type ErrorKind, type McpgwErrorOptions } from '../errors.js';

export class AuthError extends McpgwError {
  constructor(code: string, message: string, kind: ErrorKind, options?: McpgwErrorOptions) {
    super(code, message, kind, options);
  }

  /** The HTTP status authd answers with. */
  get status(): number {
    return httpStatusOf(this.kind);
  }
}

/** The bearer credential is missing, malformed, expired, or not ours: 401. */
export class TokenInvalidError extends AuthError {
  constructor(code: string, message: string) {
    super(code, message, 'unauthenticated');
  }
}

/**
 * The request body exceeds the service's limits.max_body_bytes: 413. authd sees at most one
 * byte more than the limit (Caddy cuts the rest), so the message names the limit, not a size.
 */
export class BodyTooLargeError extends AuthError {
  constructor(limit: number) {
    super('ERR_BODY_TOO_LARGE', `the request body is larger than this service accepts (limits.max_body_bytes: ${limit} bytes)`, 'too-large', { rpcCode: -32600, details: { limit } });
  }
}

/** The identity provider cannot be reached to fetch keys; we deny rather than guess: 503. */
export class ProviderUnavailableError extends AuthError {
  constructor(issuer: string, cause: unknown) {
    super('ERR_PROVIDER_UNAVAILABLE', `identity provider ${issuer} is unreachable: ${(cause as Error)?.message ?? cause}`, 'unavailable', { cause });
  }
}

/** Codes of a credential problem that logging in again fixes (the CLI exits "denied"). */
const UNAUTHENTICATED_CODES = new Set(['ERR_NOT_LOGGED_IN', 'ERR_EXPIRED', 'ERR_REFRESH_REFUSED', 'ERR_LOGIN_DENIED']);

/** A login, token or key operation the user asked for cannot be done (not logged in, unknown key …). */
export class CredentialError extends McpgwError {
  constructor(code: string, message: string, hint?: string) {
    super(code, message, UNAUTHENTICATED_CODES.has(code) ? 'unauthenticated' : 'invalid-input', { hint });
  }
}
