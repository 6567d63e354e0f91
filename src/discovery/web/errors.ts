// Errors of the web UI's HTTP API, each with a stable `code` and a kind; the page gets the
// kind's HTTP status (src/core/errors.ts).
import { McpgwError, type ErrorKind } from '../../core/errors.js';

export class WebError extends McpgwError {
  constructor(code: string, message: string, kind: ErrorKind, details?: Record<string, unknown>) {
    super(code, message, kind, { details });
  }
}

/** No session, or it ended: the page shows the sign-in screen. */
export class NotSignedInError extends WebError {
  /** `details.provider`: whether people can sign in at a provider (else only the operator's one-time link). */
  constructor(message = 'sign in first', details?: { provider: boolean }) {
    super('ERR_NOT_SIGNED_IN', message, 'unauthenticated', details);
  }
}

/** A change without the session's CSRF token, or from another origin. */
export class CsrfError extends WebError {
  constructor(message: string) {
    super('ERR_CSRF', message, 'denied');
  }
}

export class BadRequestError extends WebError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ERR_BAD_REQUEST', message, 'invalid-input', details);
  }
}

/** The sign-in did not complete (state mismatch, provider refused, token rejected). */
export class LoginFailedError extends WebError {
  constructor(message: string) {
    super('ERR_LOGIN_FAILED', message, 'invalid-input');
  }
}
