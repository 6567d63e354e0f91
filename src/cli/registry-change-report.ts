// How the CLI reports a registry change: the registry service made it (and applied it, waiting
// for authd); this prints the gateway's outcome and returns it for --json. A failed apply is a
// runtime failure (exit 2): the files changed, the routes did not.
import type { Command } from 'commander';
import type { ApplyOutcome, ApplyWhen } from '../control/registry/serialized-apply.js';
import type { RegistryService } from '../control/registry/registry-service.js';
import type { Actor } from '../core/policy/registry-access.js';
import type { CliContext } from './context.js';
import { CliError, EXIT } from './exit-codes.js';

/**
 * The registry service for one command (the files loaded once: a command does not follow them)
 * and the CLI's actor, the local operator. Loaded on use, so `--help` and `--version` stay light.
 */
export async function registryFor(ctx: CliContext): Promise<{ registry: RegistryService; operator: Actor }> {
  const [{ RegistryService }, { LOCAL_OPERATOR }] = await Promise.all([import('../control/registry/registry-service.js'), import('../core/policy/registry-access.js')]);
  return { registry: await RegistryService.open(ctx.paths.root, { follow: false }), operator: LOCAL_OPERATOR };
}

/** `--no-apply` only edits the files. */
export function applyWhenOf(cmd: Command): ApplyWhen {
  return cmd.opts<{ apply?: boolean }>().apply === false ? 'skip' : 'now';
}

export interface GatewayData {
  applied: ApplyOutcome['applied'];
  message: string;
  warnings: string[];
  authd?: string;
  inSync?: boolean;
  targets?: { target: string; pushed: boolean }[];
}

export function reportGateway(ctx: CliContext, outcome: ApplyOutcome): GatewayData {
  for (const w of outcome.warnings) ctx.out.warn(w);
  const data: GatewayData = {
    applied: outcome.applied,
    message: outcome.message,
    warnings: outcome.warnings,
    ...(outcome.authd ? { authd: outcome.authd } : {}),
    ...(outcome.report ? { inSync: outcome.report.inSync, targets: outcome.report.results.map((r) => ({ target: r.target, pushed: r.pushed })) } : {}),
  };
  if (outcome.error) throw new CliError(outcome.message, EXIT.RUNTIME, outcome.error.hint, { code: outcome.error.code, data: { gateway: data } });
  if (outcome.applied !== 'skipped') ctx.out.info(outcome.message);
  if (outcome.authd === 'stale') ctx.out.warn('authd has not reloaded registry.d yet (it reads it within a second); check `mcpgw status`');
  return data;
}
