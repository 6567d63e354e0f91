// Errors of the auth plane, each with a stable `code` and the HTTP status authd answers with.

export class AuthError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
    this.name = new.target.name;
  }
}

/** The bearer credential is missing, malformed, expired, or not ours: 401. */
export class TokenInvalidError extends AuthError {
  constructor(code: string, message: string) {
    super(code, message, 401);
  }
}

/** What Caddy passed does not describe a well-formed MCP request: 400. */
export class MalformedRequestError extends AuthError {
  /** JSON-RPC error code to answer with: -32700 parse error, -32600 invalid request. */
  constructor(code: string, message: string, readonly rpcCode = -32600) {
    super(code, message, 400);
  }
}

/**
 * The request body exceeds the service's limits.max_body_bytes: 413. authd sees at most one
 * byte more than the limit (Caddy cuts the rest), so the message names the limit, not a size.
 */
export class BodyTooLargeError extends AuthError {
  constructor(limit: number) {
    super('ERR_BODY_TOO_LARGE', `the request body is larger than this service accepts (limits.max_body_bytes: ${limit} bytes)`, 413);
  }
}

/** The identity provider cannot be reached to fetch keys; we deny rather than guess: 503. */
export class ProviderUnavailableError extends AuthError {
  constructor(issuer: string, cause: unknown) {
    super('ERR_PROVIDER_UNAVAILABLE', `identity provider ${issuer} is unreachable: ${(cause as Error)?.message ?? cause}`, 503);
  }
}

/** A login, token or key operation the user asked for cannot be done (not logged in, unknown key …). */
export class CredentialError extends Error {
  constructor(readonly code: string, message: string, readonly hint?: string) {
    super(message);
    this.name = 'CredentialError';
  }
}
