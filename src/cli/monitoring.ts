// `mcpgw audit` (who called what, when, and was it allowed) and `mcpgw usage` (calls, denials,
// errors and latency per service, tool or identity), both read from the state dir, rotated files too.
import type { Command } from 'commander';
import { stateLayout } from '../core/state/layout.js';
import { contextFor } from './context.js';
import { CliError } from './exit-codes.js';
import { examples } from './help.js';
import { camelCaseKeys } from './json-keys.js';

/** Audit fields whose keys are data (tool arguments, claims) stay as recorded. */
const AUDIT_DATA_FIELDS: ReadonlySet<string> = new Set(['arguments', 'params', 'claims']);

/** `--since 1h` (a duration back from now) or an ISO time. */
export async function sinceOf(value: string, now = Date.now()): Promise<Date> {
  // The duration schema (zod) loads only when a command reads --since (lazy CLI: README Development).
  const { duration } = await import('../core/config/common.js');
  const parsed = duration.safeParse(value);
  if (parsed.success) return new Date(now - parsed.data);
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new CliError(`--since "${value}" is neither a duration nor a time`, undefined, 'use e.g. 30m, 1h, 7d or 2026-12-01T09:00:00Z');
  return new Date(at);
}

function choice<T extends string>(flag: string, allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${flag} "${value}" is not one of ${allowed.join(', ')}`);
    return value as T;
  };
}

export function registerMonitoringCommands(program: Command): void {
  program
    .command('audit')
    .description("authd's decisions from the audit trail (rotated files too): who called what, when, and was it allowed")
    .option('--since <when>', 'only decisions since then: a duration back from now (1h, 7d) or an ISO time', '24h')
    .option('--service <name>', 'only this service')
    .option('--identity <subject>', "only this caller (the token's subject, or the API key's name)")
    .option('--decision <allow|deny>', 'only allowed or only denied calls', choice('--decision', ['allow', 'deny'] as const))
    .option('--limit <n>', 'at most this many (the newest)', (v) => Number(v), 1000)
    .addHelpText('after', examples('mcpgw audit --since 1h --decision deny', 'mcpgw audit --service weather --identity alice@example.com --json'))
    .action(async (opts: { since: string; service?: string; identity?: string; decision?: 'allow' | 'deny'; limit: number }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const { queryAudit } = await import('../core/state/audit-trail.js');
      const since = await sinceOf(opts.since);
      const entries = [];
      for await (const e of queryAudit(stateLayout(project.stateDir).auditLog, { since, service: opts.service, identity: opts.identity, decision: opts.decision })) {
        entries.push(e);
        if (entries.length > opts.limit) entries.shift();
      }
      if (ctx.out.options.json) return ctx.out.json(camelCaseKeys({ since: since.toISOString(), entries }, AUDIT_DATA_FIELDS));
      if (!entries.length) return ctx.out.info(`no decisions since ${since.toISOString()}`);
      ctx.out.table(
        ['TIME', 'IDENTITY', 'SERVICE', 'METHOD', 'TOOL', 'DECISION', 'REASON'],
        entries.map((e) => [
          e.time,
          e.identity?.subject ?? '-',
          e.server,
          e.method ?? '-',
          e.tool ?? '-',
          e.decision === 'allow' ? ctx.out.c.green(`allow ${e.status}`) : ctx.out.c.red(`deny ${e.status}`),
          e.reason,
        ]),
      );
    });

  program
    .command('usage')
    .description('calls, denials, errors and p50/p95 latency per service, tool or identity (audit trail joined with Caddy\'s access log)')
    .option('--since <when>', 'a duration back from now (1h, 7d) or an ISO time', '7d')
    .option('--by <dimension>', 'service, tool or identity', choice('--by', ['service', 'tool', 'identity'] as const), 'service')
    .option('--service <name>', 'only this service')
    .addHelpText('after', examples('mcpgw usage', 'mcpgw usage --since 24h --by tool --json', 'mcpgw usage --by identity --service weather'))
    .action(async (opts: { since: string; by: 'service' | 'tool' | 'identity'; service?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const { usageReport } = await import('../control/usage/usage-report.js');
      const report = await usageReport(stateLayout(project.stateDir), { since: await sinceOf(opts.since), by: opts.by, service: opts.service });
      if (ctx.out.options.json) return ctx.out.json(camelCaseKeys(report));
      if (!report.rows.length) return ctx.out.info(`no calls since ${report.since}`);
      const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
      ctx.out.table(
        [opts.by.toUpperCase(), 'CALLS', 'DENIED', 'ERRORS', 'P50', 'P95'],
        report.rows.map((r) => [r.key, String(r.calls), String(r.denials), String(r.errors), ms(r.p50Ms), ms(r.p95Ms)]),
      );
    });
}
