// What the gateway commands do (render, apply, up, down, routes): call the control plane, print.
// Loaded only when one of them runs (src/cli/lazy-action.ts).
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Project } from '../core/config/project.js';
import { applyProject, type ApplyReport } from '../control/caddy/apply.js';
import { renderForProject } from '../control/caddy/render-input.js';
import { CaddyAdminClient } from '../control/caddy/admin-client.js';
import { renderCaddyfile } from '../control/caddy/caddyfile.js';
import type { KubernetesOptions } from './kubernetes.js';
import { configAnatomy } from '../control/caddy/route-anatomy.js';
import { planRoutes } from '../control/caddy/route-plan.js';
import { stateLayout } from '../core/state/layout.js';
import { gatewayDown, gatewayUp } from '../control/processes/gateway-up.js';
import { readProcesses } from '../control/processes/processes-file.js';
import { isPidAlive } from '../core/state/process-liveness.js';
import { contextFor, type CliContext } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { publicUrl } from '../core/config/settings.js';

const PACKAGED_TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'Caddyfile.tmpl');

function applyData(report: ApplyReport) {
  return {
    inSync: report.inSync,
    warnings: report.warnings,
    targets: report.results.map((r) => ({ target: r.target, pushed: r.pushed, plan: r.plan, error: r.error && { code: r.error.code, message: r.error.message, hint: r.error.hint } })),
  };
}

function printApply(ctx: CliContext, report: ApplyReport, dryRun: boolean): void {
  for (const w of report.warnings) ctx.out.warn(w);
  if (ctx.out.options.json) return; // the envelope is printed once the outcome is known (applyOutcome)
  const { c } = ctx.out;
  for (const r of report.results) {
    if (r.error) {
      ctx.out.error(`${r.error.message}${r.error.hint ? `\nhint: ${r.error.hint}` : ''}`);
      continue;
    }
    const plan = r.plan!;
    if (plan.inSync) {
      ctx.out.line(`${r.target}: in sync`);
      continue;
    }
    ctx.out.line(`${r.target}: ${dryRun ? 'would change' : 'applied'}`);
    for (const id of plan.added) ctx.out.line(`  ${c.green('+')} ${id}`);
    for (const id of plan.changed) ctx.out.line(`  ${c.yellow('~')} ${id}`);
    for (const id of plan.removed) ctx.out.line(`  ${c.red('-')} ${id}`);
    if (plan.settingsChanged) ctx.out.line(`  ${c.yellow('~')} server settings (listen, TLS or route order)`);
  }
}

/** Success prints the envelope; a failed target or (dry run) drift ends the run with its exit code and the report as data. */
function applyOutcome(ctx: CliContext, report: ApplyReport, dryRun: boolean): void {
  const data = applyData(report);
  const failed = report.results.find((r) => r.error)?.error;
  if (failed) {
    const many = report.results.filter((r) => r.error).length;
    throw new CliError(many > 1 ? `${many} targets failed; the first: ${failed.message}` : failed.message, EXIT.RUNTIME, failed.hint, { code: failed.code, data });
  }
  if (dryRun && !report.inSync) throw new CliError('the running gateway differs from the files (drift)', EXIT.DRIFT, 'run `mcpgw apply` to push the files', { code: 'ERR_DRIFT', data });
  if (ctx.out.options.json) ctx.out.json(data);
}

async function statusOf(project: Project) {
  const processes = await readProcesses(stateLayout(project.stateDir).processesFile);
  const client = new CaddyAdminClient(project.settings.caddy.admin, { retries: 0, timeoutMs: 3000 });
  const running = await client.getConfig().catch(() => undefined);
  const desired = running ? (await renderForProject(project)).config : undefined;
  const plan = running && desired ? planRoutes(running.config, { ...desired, admin: running.config?.admin ?? desired.admin }) : undefined;
  return {
    processes: Object.entries(processes).map(([name, r]) => ({ name, ...r, alive: isPidAlive(r.pid) })),
    gateway: { admin: project.settings.caddy.admin, reachable: Boolean(running), inSync: plan?.inSync ?? null },
    routes: running ? configAnatomy(running.config) : [],
  };
}

export async function render(opts: { caddyfile?: boolean; kubernetes?: boolean; out?: string } & Omit<KubernetesOptions, 'out'>, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const project = await ctx.loadProject();
  if (opts.kubernetes) return (await import('./kubernetes.js')).renderKubernetesCommand(ctx, project, opts);
  const { config, warnings } = await renderForProject(project);
  for (const w of warnings) ctx.out.warn(w);
  if (ctx.out.options.json && !opts.out && !opts.caddyfile) return ctx.out.json({ config, warnings });
  let text = `${JSON.stringify(config, null, 2)}\n`;
  if (opts.caddyfile) {
    const own = join(project.paths.root, 'Caddyfile.tmpl');
    const template = await readFile(own, 'utf8').then((text) => ({ text, name: 'Caddyfile.tmpl' }), async () => ({ text: await readFile(PACKAGED_TEMPLATE, 'utf8'), name: PACKAGED_TEMPLATE }));
    text = renderCaddyfile(template.text, config, project.settings, template.name);
  }
  if (opts.out) {
    await writeFile(opts.out, text, { mode: 0o600 });
    ctx.out.info(`wrote ${opts.out}`);
  } else process.stdout.write(text);
}

export async function apply(opts: { dryRun?: boolean; target?: string[]; adopt?: boolean }, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const project = await ctx.loadProject();
  const report = await applyProject(project, { dryRun: opts.dryRun, targets: opts.target, adopt: opts.adopt });
  printApply(ctx, report, Boolean(opts.dryRun));
  applyOutcome(ctx, report, Boolean(opts.dryRun));
}

export async function up(opts: { foreground?: boolean }, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const project = await ctx.loadProject();
  const available = new Set(cmd.parent!.commands.map((c) => c.name()));
  const result = await gatewayUp(project, { available, foreground: opts.foreground, log: (l) => ctx.out.info(l) });
  for (const w of result.apply.warnings) ctx.out.warn(w);
  // The operator's way into the web UI, also without an identity provider (once, 15 minutes).
  // Not for a node in the foreground: its output is a cluster's log, and the link is a credential.
  const link = result.processes.web && !opts.foreground ? await (await import('../discovery/web/signin-link.js')).issueSignInLink(project.stateDir, publicUrl(project.settings)) : undefined;
  // A node's stdout carries only the audit lines (audit.stdout): its report goes to stderr.
  const say = (text: string) => (opts.foreground ? ctx.out.info(text) : ctx.out.line(text));
  if (ctx.out.options.json) ctx.out.json({ processes: result.processes, signInLink: link?.url ?? null });
  else {
    for (const [name, r] of Object.entries(result.processes)) say(`${name.padEnd(16)} pid ${String(r.pid).padEnd(8)} ${r.url ?? ''}`.trimEnd());
    say(`gateway: ${result.processes.caddy?.url} — services at <gateway>/<path>/…; \`mcpgw down\` stops it`);
    if (link) say(`web UI: sign in once (15 min) at ${link.url}  — \`mcpgw web --link\` prints a new link`);
    else if (result.processes.web) say('web UI: `mcpgw web --link` (e.g. through kubectl exec) prints a one-time sign-in link');
  }
  if (opts.foreground) {
    // A node: follows the files, applies each change, serves /livez and /readyz (node.health_listen).
    const { runNode } = await import('../control/processes/gateway-node.js');
    process.exitCode = await (await runNode(project, result, (l) => ctx.out.info(l))).done;
  }
}

export async function down(_opts: unknown, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const result = await gatewayDown(await ctx.loadProject());
  if (ctx.out.options.json) return ctx.out.json(result);
  if (!result.stopped.length && !result.gone.length) return ctx.out.info('nothing was running');
  for (const name of result.stopped) ctx.out.line(`stopped ${name}`);
  for (const name of result.gone) ctx.out.line(`${name} had already exited`);
}

export async function routes(_opts: unknown, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const status = await statusOf(await ctx.loadProject());
  if (!status.gateway.reachable) {
    if (ctx.out.options.json) throw new CliError(`Caddy's admin API at ${status.gateway.admin} did not answer`, EXIT.RUNTIME, 'start the gateway with `mcpgw up`', { code: 'ERR_CADDY_UNREACHABLE', data: status });
    process.exitCode = EXIT.RUNTIME;
  }
  if (ctx.out.options.json) return ctx.out.json(status);
  const { c } = ctx.out;
  for (const p of status.processes) ctx.out.line(`${p.name.padEnd(16)} ${p.alive ? c.green('running') : c.red('exited ')} pid ${p.pid}  ${p.url ?? ''}`.trimEnd());
  const g = status.gateway;
  ctx.out.line(`gateway admin ${g.admin}: ${g.reachable ? (g.inSync ? c.green('in sync') : c.yellow('drift — run mcpgw apply')) : c.red('not reachable')}`);
  if (status.routes.length) {
    ctx.out.table(
      ['MATCH', 'AUTH', 'UPSTREAM'],
      status.routes.map((r) => [r.match, r.auth ? `authd (${r.auth.service})` : r.respond ? '' : 'none', r.upstreams?.join(' ') ?? (r.respond ? `responds ${r.respond.status}` : '')]),
    );
  }
}
