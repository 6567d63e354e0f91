// Errors from driving Caddy, each with a stable code; messages carry Caddy's own words.
export type CaddyErrorCode =
  | 'ERR_CADDY_UNREACHABLE'
  | 'ERR_CADDY_REJECTED'
  | 'ERR_CADDY_CONFLICT'
  | 'ERR_CADDY_VERIFY'
  | 'ERR_CADDY_MISSING'
  | 'ERR_PROCESS_START';

export class CaddyError extends Error {
  constructor(readonly code: CaddyErrorCode, message: string, readonly hint?: string) {
    super(message);
    this.name = 'CaddyError';
  }
}

/** The admin API did not answer (nothing listens, or the connection broke). */
export class CaddyUnreachableError extends CaddyError {
  constructor(target: string, cause: string) {
    super('ERR_CADDY_UNREACHABLE', `Caddy's admin API at ${target} did not answer (${cause})`, 'start the gateway with `mcpgw up`, or pass --target with the admin address');
  }
}

/** Caddy refused the config; it kept running the previous one. */
export class CaddyRejectedError extends CaddyError {
  constructor(target: string, readonly status: number, readonly caddyMessage: string) {
    super('ERR_CADDY_REJECTED', `Caddy at ${target} rejected the config (HTTP ${status}): ${caddyMessage} — the running config is unchanged`);
  }
}

/** Another applier changed the config between our read and our write (If-Match failed). */
export class CaddyConflictError extends CaddyError {
  constructor(target: string) {
    super(
      'ERR_CADDY_CONFLICT',
      `conflict at ${target}: another apply changed the gateway config after this one read it; nothing was pushed`,
      'run `mcpgw apply` again to push these files over the new config (or check who else applies)',
    );
  }
}
