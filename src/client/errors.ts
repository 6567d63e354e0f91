// Errors of calling through the gateway (McpgwError: code, kind, hint): the CLI maps the kind to
// an exit code, the registry server to an `isError` tool result with the gateway's status.
import { kindOfHttpStatus, McpgwError } from '../core/errors.js';

/** There is no credential of the caller to present to the gateway. */
export class NoCredentialError extends McpgwError {
  constructor(hint: string) {
    super('ERR_NO_CREDENTIAL', 'no credential of the caller to present to the gateway', 'unauthenticated', { hint });
  }
}

function hintFor(status: number | undefined, rpcCode: number | undefined): string | undefined {
  if (status === 401) return 'the gateway did not accept the credential: pass --key <api-key> (`mcpgw keys create`), set MCPGW_TOKEN, or `mcpgw login` again';
  if (status === 403) return 'your groups lack this right in scopes.yml (see `mcpgw whoami`)';
  if (rpcCode !== undefined) return 'check the tool name and arguments (`mcpgw tools list <service> --json` shows each input schema)';
  if (status === undefined || status === 502) return 'is the gateway running? `mcpgw status`, or start it with `mcpgw up`';
  return undefined;
}

/** The gateway refused or failed a call (401, 403, 404, 503 …): its own answer is kept. */
export class GatewayCallError extends McpgwError {
  /** `rpcCode`: the server answered with a JSON-RPC error (e.g. -32602 invalid params) instead of a result. */
  constructor(readonly status: number | undefined, readonly gatewayCode: string | undefined, message: string, rpcCode?: number) {
    super('ERR_GATEWAY_CALL', message, rpcCode !== undefined && status === undefined ? 'invalid-input' : kindOfHttpStatus(status), {
      hint: hintFor(status, rpcCode),
      details: { status, gateway_code: gatewayCode },
      ...(rpcCode !== undefined ? { rpcCode } : {}),
    });
  }
}
