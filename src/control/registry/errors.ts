// Refusals of the registry service, each with a stable code and a kind every front door maps
// once (CLI exit code, HTTP status, MCP tool error: src/core/errors.ts).
import type { RegistryRight } from '../../core/config/scopes.js';
import { McpgwError } from '../../core/errors.js';

/** The actor lacks the registry right (scopes.yml `registry:`) the change needs. */
export class RegistryRightError extends McpgwError {
  constructor(readonly right: RegistryRight, subject: string, what: string) {
    super('ERR_RIGHT_MISSING', `${what} needs the registry right "${right}", which ${subject} lacks`, 'denied', {
      hint: `grant it in scopes.yml: scopes.<scope>.registry: [${right}]`,
      details: { missing: right },
    });
  }
}

/** A change the registry will not make to this service (e.g. an upstream for a stdio service). */
export class ChangeRefusedError extends McpgwError {
  constructor(message: string, hint?: string) {
    super('ERR_CHANGE_REFUSED', message, 'invalid-input', { hint });
  }
}
