// What the health and tools commands do (probe, status, tools diff, tools approve): call the
// probe and the state files, print. Loaded only when one of them runs.
import type { Command } from 'commander';
import { duration } from '../core/config/common.js';
import type { Project } from '../core/config/project.js';
import { stateLayout } from '../core/state/layout.js';
import { allHealthy, DEFAULT_CONCURRENCY, probeServices, selectServices } from '../control/probe/probe-run.js';
import type { RecordedProbe } from '../control/probe/record-probe.js';
import { approveTools } from '../core/state/tool-approvals.js';
import { describeAge, describeHealth, diffLines, summarizeDiff } from '../control/probe/describe.js';
import { gatewayStatus, type GatewayStatus } from '../control/probe/service-status.js';
import { toolsReport } from '../control/probe/tools-report.js';
import { contextFor, type CliContext } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import type { Output } from './output.js';

function durationMs(value: string): number {
  const parsed = duration.safeParse(value);
  if (!parsed.success) throw new CliError(`"${value}" is not a duration — use e.g. 5s, 500ms or 1m`);
  return parsed.data;
}

/** One service by name (disabled ones too); exit 1 when registry.d has no such service. */
function findService(project: Project, name: string) {
  return selectServices(project, [name])[0]!;
}

function colourStatus(out: Output, text: string): string {
  if (text.startsWith('healthy')) return out.c.green(text);
  if (text.startsWith('unknown')) return out.c.dim(text);
  return text.startsWith('auth-required') ? out.c.yellow(text) : out.c.red(text);
}

function printProbeResults(ctx: CliContext, project: Project, results: RecordedProbe[]): void {
  const { out } = ctx;
  if (out.options.json) return; // printed with the outcome (probeOutcome)
  out.table(
    ['NAME', 'STATUS', 'TOOLS', 'LATENCY', 'PROTOCOL', 'SERVER'],
    results.map((r) => [
      r.service,
      colourStatus(out, describeHealth(r.health)),
      r.health.toolCount === undefined ? '-' : String(r.health.toolCount),
      r.health.latencyMs === undefined ? '-' : `${r.health.latencyMs} ms`,
      r.health.protocolVersion ?? '-',
      r.health.serverInfo ? `${r.health.serverInfo.name} ${r.health.serverInfo.version ?? ''}`.trim() : '-',
    ]),
  );
  for (const r of results) {
    if (!r.toolChange) continue;
    const pinned = project.services.find((s) => s.name === r.service)?.pin_tools;
    const next = pinned && (r.toolChange.added.length || r.toolChange.changed.length) ? `withheld until \`mcpgw tools approve ${r.service}\`; review with` : 'see';
    out.warn(`${r.service}: tools changed — ${summarizeDiff(r.toolChange)} (${next} \`mcpgw tools diff ${r.service}\`)`);
  }
}

async function runProbeWatch(ctx: CliContext, project: Project, options: { concurrency: number; timeoutMs?: number }): Promise<void> {
  const { startProbeLoop } = await import('../control/probe/probe-loop.js');
  const { followRegistry } = await import('../control/probe/registry-follow.js');
  const loop = startProbeLoop(project, options);
  const { out } = ctx;
  loop.on('health-change', (change) => {
    if (out.options.json) return out.jsonLine({ event: 'health-change', ...change });
    const from = change.previous ? `${describeHealth(change.previous)} → ` : '';
    out.line(`${change.current.checkedAt}  ${change.service}  ${from}${colourStatus(out, describeHealth(change.current))}`);
  });
  loop.on('tools-change', (record) => {
    if (out.options.json) return out.jsonLine({ event: 'tools-change', ...record });
    out.line(`${record.detectedAt}  ${record.service}  tools changed — ${summarizeDiff(record)}`);
  });
  loop.on('error', (err) => out.error(err.message));
  const unfollow = await followRegistry(loop, project.paths, (messages) => {
    for (const m of messages) out.error(`${m} (still probing the last valid registry.d)`);
  });
  out.info(`probing ${project.services.filter((s) => s.enabled && s.health.enabled).length} service(s) on their intervals; Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    const finish = () => (unfollow(), void loop.stop().then(resolve));
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}

function printStatus(out: Output, status: GatewayStatus): void {
  if (status.services.length === 0) out.line('no services — add one with `mcpgw register`');
  else {
    out.table(
      ['NAME', 'ENABLED', 'HEALTH', 'TOOLS', 'LATENCY', 'CHECKED'],
      status.services.map((s) => [
        s.name,
        s.enabled ? out.c.green('yes') : out.c.dim('no'),
        colourStatus(out, describeHealth(s)) + (s.gated ? out.c.red(' (withheld: health.gate)') : ''),
        s.toolCount === undefined ? '-' : `${s.toolCount}${s.withheld ? out.c.yellow(` (${s.withheld} withheld)`) : ''}`,
        s.latencyMs === undefined ? '-' : `${s.latencyMs} ms`,
        describeAge(s.checkedAt),
      ]),
    );
  }
  out.line();
  if (!status.processes) return out.line(out.c.dim('gateway: not running (start it with `mcpgw up`)'));
  out.table(
    ['PROCESS', 'PID', 'STATE', 'URL', 'STARTED'],
    status.processes.map((p) => [p.name, String(p.pid), p.alive ? out.c.green('running') : out.c.red('exited'), p.url ?? '-', describeAge(p.startedAt)]),
  );
}

async function runStatusWatch(ctx: CliContext, project: Project, intervalMs: number): Promise<void> {
  const tty = Boolean(process.stdout.isTTY) && !ctx.out.options.json;
  let last = '';
  const render = async () => {
    const status = await gatewayStatus(project);
    if (ctx.out.options.json) {
      const text = JSON.stringify(status);
      if (text !== last) ctx.out.jsonLine(status); // one envelope per line, only when something changed
      last = text;
      return;
    }
    // On a terminal: clear the screen and redraw in place.
    if (tty) process.stdout.write('\u001b[H\u001b[2J');
    printStatus(ctx.out, status);
    if (tty) ctx.out.line(ctx.out.c.dim(`\nrefreshing every ${intervalMs / 1000} s — Ctrl-C to stop`));
  };
  await render();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => void render().catch((err: Error) => ctx.out.error(err.message)), intervalMs);
    const finish = () => (clearInterval(timer), resolve());
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}

export async function probe(names: string[], opts: { concurrency?: number; timeout?: string; watch?: boolean }, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const project = await ctx.loadProject();
  const options = { concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY, timeoutMs: opts.timeout === undefined ? undefined : durationMs(opts.timeout) };
  if (opts.watch) return runProbeWatch(ctx, project, options);
  const services = selectServices(project, names);
  if (services.length === 0) {
    if (ctx.out.options.json) return ctx.out.json({ results: [] });
    return ctx.out.info('no enabled services to probe — see `mcpgw list`');
  }
  const results = await probeServices(project, services, options);
  printProbeResults(ctx, project, results);
  const data = { results: results.map(({ tools: _tools, previous: _previous, ...r }) => r) };
  const failing = results.filter((r) => r.health.status !== 'healthy').map((r) => r.service);
  if (!allHealthy(results)) throw new CliError(`not healthy: ${failing.join(', ')}`, EXIT.RUNTIME, 'see the STATUS column (`mcpgw status` keeps the last results)', { code: 'ERR_UNHEALTHY', data });
  if (ctx.out.options.json) ctx.out.json(data);
}

export async function status(opts: { watch?: boolean; interval: string }, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const project = await ctx.loadProjectForReading();
  if (opts.watch) return runStatusWatch(ctx, project, durationMs(opts.interval));
  const status = await gatewayStatus(project);
  if (ctx.out.options.json) return ctx.out.json({ ...status, leftOut: project.leftOut });
  printStatus(ctx.out, status);
}

export async function toolsDiff(name: string, _opts: unknown, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const project = await ctx.loadProject();
  const report = await toolsReport(stateLayout(project.stateDir), findService(project, name));
  const { out } = ctx;
  if (out.options.json) return out.json(report);
  if (report.changes.length === 0) out.line(`${name}: no tool changes recorded`);
  for (const change of report.changes) {
    out.line(out.c.bold(`${change.detectedAt}  ${summarizeDiff(change)}`));
    for (const line of diffLines(change)) out.line(`  ${line}`);
  }
  if (!report.pinned) return;
  if (report.withheld.length === 0) return out.line(out.c.green(`${name}: pinned; every current tool is approved`));
  out.line(out.c.yellow(`${name}: ${report.withheld.length} tool(s) withheld until \`mcpgw tools approve ${name}\`:`));
  for (const w of report.withheld) out.line(`  ${w.name} (${w.reason}${w.fields ? `: ${w.fields.join(', ')}` : ''})`);
}

export async function toolsApprove(name: string, opts: { tool?: string[] }, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const project = await ctx.loadProject();
  const svc = findService(project, name);
  if (!svc.pin_tools) ctx.out.warn(`${name} does not pin its tools (pin_tools: false); the approval is kept for when it does`);
  const approvals = await approveTools(stateLayout(project.stateDir), name, opts.tool);
  if (ctx.out.options.json) return ctx.out.json(approvals);
  ctx.out.info(`${name}: approved ${opts.tool?.join(', ') ?? `${approvals.tools.length} tool(s)`}`);
}
