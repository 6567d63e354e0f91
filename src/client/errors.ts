// Errors of calling a tool through the gateway as a caller (call_tool, `mcpgw call`).
import { kindOfHttpStatus, McpgwError } from '../core/errors.js';

/** call_tool has no credential of the caller to present to the gateway. */
export class NoCredentialError extends McpgwError {
  constructor(hint: string) {
    super('ERR_NO_CREDENTIAL', 'no credential of the caller to present to the gateway', 'unauthenticated', { hint });
  }
}

/** The gateway refused or failed a call_tool (401, 403, 404, 503 …): its own answer is kept. */
export class GatewayCallError extends McpgwError {
  constructor(readonly status: number | undefined, readonly gatewayCode: string | undefined, message: string) {
    super('ERR_GATEWAY_CALL', message, kindOfHttpStatus(status), { details: { status, gateway_code: gatewayCode } });
  }
}
