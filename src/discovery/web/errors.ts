// Errors of the web UI's HTTP API, each with a stable `code` and the status it answers with.

export class WebError extends Error {
  constructor(readonly code: string, message: string, readonly status: number, readonly details?: unknown) {
    super(message);
    this.name = new.target.name;
  }
}

/** No session, or it ended: the page shows the sign-in screen. */
export class NotSignedInError extends WebError {
  constructor(message = 'sign in first') {
    super('ERR_NOT_SIGNED_IN', message, 401);
  }
}

/** A change without the session's CSRF token, or from another origin. */
export class CsrfError extends WebError {
  constructor(message: string) {
    super('ERR_CSRF', message, 403);
  }
}

export class BadRequestError extends WebError {
  constructor(message: string, details?: unknown) {
    super('ERR_BAD_REQUEST', message, 400, details);
  }
}

/** The sign-in did not complete (state mismatch, provider refused, token rejected). */
export class LoginFailedError extends WebError {
  constructor(message: string) {
    super('ERR_LOGIN_FAILED', message, 400);
  }
}
