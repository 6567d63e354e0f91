// Refusals of the registry service, each with a stable code every front door maps once
// (CLI exit code, HTTP status, MCP tool error).
import type { RegistryRight } from '../../core/config/scopes.js';

/** The actor lacks the registry right (scopes.yml `registry:`) the change needs. */
export class RegistryRightError extends Error {
  readonly code = 'ERR_RIGHT_MISSING';
  readonly hint: string;
  constructor(readonly right: RegistryRight, subject: string, what: string) {
    super(`${what} needs the registry right "${right}", which ${subject} lacks`);
    this.name = 'RegistryRightError';
    this.hint = `grant it in scopes.yml: scopes.<scope>.registry: [${right}]`;
  }
}

/** A change the registry will not make to this service (e.g. an upstream for a stdio service). */
export class ChangeRefusedError extends Error {
  readonly code = 'ERR_CHANGE_REFUSED';
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'ChangeRefusedError';
  }
}
