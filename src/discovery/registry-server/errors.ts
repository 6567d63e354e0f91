// Errors of the registry MCP server. Each has a stable `code`; a tool that fails answers
// `isError: true` with that code, so an agent can tell "not allowed" from "try again".
import { kindOfHttpStatus, McpgwError, type ErrorKind } from '../../core/errors.js';
import { IDENTITY_HEADER, REGISTRY_PATH } from '../../core/wire/contract.js';

export class RegistryServerError extends McpgwError {
  constructor(code: string, message: string, kind: ErrorKind, hint?: string, details?: Record<string, unknown>) {
    super(code, message, kind, { hint, details });
  }
}

/** An HTTP request reached the registry server without the identity header authd sets. */
export class CallerUnknownError extends RegistryServerError {
  constructor(why = `the request carries no ${IDENTITY_HEADER}`) {
    super('ERR_NO_IDENTITY', `${why}: the registry server is reached through the gateway (<gateway>${REGISTRY_PATH}/mcp), which sets it`, 'unauthenticated', `connect to <gateway>${REGISTRY_PATH}/mcp with a bearer token`);
  }
}

/** call_tool has no credential of the caller to present to the gateway. */
export class NoCredentialError extends RegistryServerError {
  constructor(hint: string) {
    super('ERR_NO_CREDENTIAL', 'no credential of the caller to present to the gateway', 'unauthenticated', hint);
  }
}

/** The gateway refused or failed a call_tool (401, 403, 404, 503 …): its own answer is kept. */
export class GatewayCallError extends RegistryServerError {
  constructor(readonly status: number | undefined, readonly gatewayCode: string | undefined, message: string) {
    super('ERR_GATEWAY_CALL', message, kindOfHttpStatus(status), undefined, { status, gateway_code: gatewayCode });
  }
}
