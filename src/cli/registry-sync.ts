// `mcpgw import --registry URL` and `mcpgw sync`: servers of an MCP Registry API (the official
// registry, another mcpgw) into registry.d as files to review. Parses and prints; the feature
// is control/registry/registry-sync.
import type { Command } from 'commander';
import type { RegistryImportResult } from '../control/registry/registry-sync.js';
import { contextFor, type CliContext } from './context.js';
import { examples } from './help.js';
import { applyWhenOf, registryFor, reportGateway } from './registry-change-report.js';

export interface RegistryImportFlags {
  registry: string;
  search?: string;
  since?: string;
  token?: string;
  force?: boolean;
  dryRun?: boolean;
  var?: Record<string, string>;
}

const MARK: Record<string, string> = { create: '+', overwrite: '~', unchanged: '=', exists: '!', refused: 'x' };

function printResult(ctx: CliContext, result: RegistryImportResult, dryRun: boolean): void {
  if (ctx.out.options.json) return;
  for (const p of result.plan) {
    const target = p.service ? ` → registry.d/${p.service}.yaml` : '';
    ctx.out.line(`${MARK[p.action]} ${p.entry}${p.version ? ` ${p.version}` : ''}${target}  ${dryRun && (p.action === 'create' || p.action === 'overwrite') ? `would ${p.action}` : p.action}${p.reason ? ` — ${p.reason}` : ''}`);
  }
  if (!result.plan.length) ctx.out.info(`${result.registry}: nothing new`);
  for (const w of result.written) ctx.out.info(`wrote ${w.file}`);
}

function jsonOf(result: RegistryImportResult, gateway: unknown): Record<string, unknown> {
  return {
    registry: result.registry,
    plan: result.plan.map(({ fields: _fields, ...p }) => p),
    written: result.written,
    ...(result.lastSync ? { lastSync: result.lastSync } : {}),
    ...(gateway ? { gateway } : {}),
  };
}

/** The body of `mcpgw import --registry`. */
export async function runRegistryImport(cmd: Command, flags: RegistryImportFlags): Promise<void> {
  const ctx = contextFor(cmd);
  const { importFromRegistry } = await import('../control/registry/registry-sync.js');
  const { registry, operator } = await registryFor(ctx);
  const result = await importFromRegistry(registry, operator, {
    url: flags.registry,
    search: flags.search,
    since: flags.since,
    token: flags.token,
    force: flags.force,
    dryRun: flags.dryRun,
    apply: applyWhenOf(cmd),
    importOptions: { vars: flags.var },
  });
  printResult(ctx, result, !!flags.dryRun);
  const gateway = result.gateway ? reportGateway(ctx, result.gateway) : undefined;
  if (ctx.out.options.json) ctx.out.json(jsonOf(result, gateway));
}

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('import again from every registry `mcpgw import --registry` read: only what changed since (updated_since)')
    .option('--registry <url>', 'sync this registry only')
    .option('--force', 'overwrite definitions that changed in the registry')
    .option('--dry-run', 'show the plan, write nothing')
    .option('--no-apply', 'do not apply to a running gateway')
    .addHelpText('after', examples('mcpgw sync --dry-run', 'mcpgw sync --registry https://registry.modelcontextprotocol.io'))
    .action(async (opts: { registry?: string; force?: boolean; dryRun?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { syncRegistries } = await import('../control/registry/registry-sync.js');
      const { registry, operator } = await registryFor(ctx);
      const results = await syncRegistries(registry, operator, { only: opts.registry, force: opts.force, dryRun: opts.dryRun, apply: applyWhenOf(cmd) });
      const out = results.map((r) => {
        printResult(ctx, r, !!opts.dryRun);
        return jsonOf(r, r.gateway ? reportGateway(ctx, r.gateway) : undefined);
      });
      if (ctx.out.options.json) ctx.out.json({ synced: out });
    });
}
