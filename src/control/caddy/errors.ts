// Errors from driving Caddy's admin API, each with a stable code; messages carry Caddy's own words.
import { McpgwError, type ErrorKind } from '../../core/errors.js';

export type CaddyErrorCode = 'ERR_CADDY_UNREACHABLE' | 'ERR_CADDY_REJECTED' | 'ERR_CADDY_CONFLICT' | 'ERR_CADDY_VERIFY' | 'ERR_CADDY_NOT_OURS';

const KIND: Record<CaddyErrorCode, ErrorKind> = {
  ERR_CADDY_UNREACHABLE: 'unavailable',
  ERR_CADDY_REJECTED: 'runtime',
  ERR_CADDY_CONFLICT: 'conflict',
  ERR_CADDY_VERIFY: 'runtime',
  // Another checkout's (or no mcpgw's) Caddy: a runtime refusal, exit 2, until --adopt.
  ERR_CADDY_NOT_OURS: 'runtime',
};

export class CaddyError extends McpgwError {
  declare readonly code: CaddyErrorCode;
  constructor(code: CaddyErrorCode, message: string, hint?: string) {
    super(code, message, KIND[code], { hint });
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
  constructor(target: string, readonly httpStatus: number, readonly caddyMessage: string) {
    super('ERR_CADDY_REJECTED', `Caddy at ${target} rejected the config (HTTP ${httpStatus}): ${caddyMessage} — the running config is unchanged`);
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

/** The Caddy at the admin address runs another checkout's config, or one no mcpgw pushed. */
export class CaddyNotOursError extends CaddyError {
  constructor(target: string, readonly owner: string | undefined) {
    super(
      'ERR_CADDY_NOT_OURS',
      owner
        ? `Caddy at ${target} belongs to another mcpgw checkout (${owner}); nothing was pushed`
        : `Caddy at ${target} runs a config that no mcpgw checkout pushed; nothing was pushed`,
      owner
        ? 'stop that gateway (`mcpgw down` in its checkout) or give this checkout its own caddy.admin and gateway.listen in mcpgw.yaml; `mcpgw apply --adopt` takes this Caddy over'
        : 'point caddy.admin at this checkout\'s own Caddy (`mcpgw up` starts one), or replace what it runs with `mcpgw apply --adopt`',
    );
  }
}
