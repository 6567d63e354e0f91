// Errors of the registry MCP server. Each has a stable `code`; a tool that fails answers
// `isError: true` with that code, so an agent can tell "not allowed" from "try again".
import { McpgwError, type ErrorKind } from '../../core/errors.js';
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

export { GatewayCallError, NoCredentialError } from '../../client/errors.js';
