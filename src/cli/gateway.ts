// Commands that drive Caddy: render, apply, up, down, routes. Parsing and printing only.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { Project } from '../core/config/project.js';
import { applyProject, type ApplyReport } from '../control/caddy/apply.js';
import { renderForProject } from '../control/caddy/render-input.js';
import { CaddyAdminClient } from '../control/caddy/admin-client.js';
import { renderCaddyfile } from '../control/caddy/caddyfile.js';
import { configAnatomy } from '../control/caddy/route-anatomy.js';
import { planRoutes } from '../control/caddy/route-plan.js';
import { stateLayout } from '../core/state/layout.js';
import { gatewayDown, gatewayUp } from '../control/processes/gateway-up.js';
import { readProcesses } from '../control/processes/processes-file.js';
import { isPidAlive } from '../core/state/process-liveness.js';
import { contextFor, type CliContext } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { examples } from './help.js';
import { publicUrl } from '../core/config/settings.js';

const PACKAGED_TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'Caddyfile.tmpl');
const collect = (value: string, previous: string[] = []) => [...previous, value];

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

export function registerGatewayCommands(program: Command): void {
  program
    .command('render')
    .description('print the Caddy config the files describe (JSON, or a Caddyfile from Caddyfile.tmpl)')
    .option('--caddyfile', 'a Caddyfile for running Caddy from a file')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText('after', examples('mcpgw render | jq .apps.http.servers.mcpgw.routes', 'mcpgw render --caddyfile -o Caddyfile && caddy run --config Caddyfile'))
    .action(async (opts: { caddyfile?: boolean; out?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const { config, warnings } = await renderForProject(project);
      for (const w of warnings) ctx.out.warn(w);
      if (ctx.out.options.json && !opts.out && !opts.caddyfile) return ctx.out.json({ config, warnings });
      let text = `${JSON.stringify(config, null, 2)}\n`;
      if (opts.caddyfile) {
        const template = await readFile(join(project.paths.root, 'Caddyfile.tmpl'), 'utf8').catch(() => readFile(PACKAGED_TEMPLATE, 'utf8'));
        text = renderCaddyfile(template, config, project.settings);
      }
      if (opts.out) {
        await writeFile(opts.out, text, { mode: 0o600 });
        ctx.out.info(`wrote ${opts.out}`);
      } else process.stdout.write(text);
    });

  program
    .command('apply')
    .description('push registry.d/ to the running gateway: prints the plan, pushes with If-Match, verifies')
    .option('--dry-run', 'only print the plan; exit 3 when the gateway differs from the files (drift)')
    .option('--target <admin>', "a Caddy admin address or URL (repeatable; default caddy.admin of mcpgw.yaml)", collect)
    .option('--adopt', 'take over a Caddy that another checkout (or no mcpgw) configured; without it such a push is refused')
    .addHelpText(
      'after',
      examples('mcpgw apply', 'mcpgw apply --dry-run    # CI: exit 3 on drift', 'mcpgw apply --target 10.0.0.5:2019 --target 10.0.0.6:2019', 'mcpgw apply --adopt      # this Caddy was configured by another checkout: take it over') +
        '\nExit codes: 0 applied or in sync, 1 invalid files, 2 Caddy unreachable, rejected the config, conflicted or belongs to another checkout, 3 drift (--dry-run).\n',
    )
    .action(async (opts: { dryRun?: boolean; target?: string[]; adopt?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const report = await applyProject(project, { dryRun: opts.dryRun, targets: opts.target, adopt: opts.adopt });
      printApply(ctx, report, Boolean(opts.dryRun));
      applyOutcome(ctx, report, Boolean(opts.dryRun));
    });

  program
    .command('up')
    .description('start Caddy and mcpgw daemons (authd, …) as managed processes, then apply')
    .option('--foreground', 'stay attached (containers, systemd): follow the files and apply each change, serve /livez and /readyz at node.health_listen, stop everything on SIGINT/SIGTERM (exit 0) or when a process dies (exit 1)')
    .addHelpText('after', examples('mcpgw up', 'mcpgw up --foreground    # e.g. in templates/mcpgw.service', 'mcpgw routes && mcpgw down'))
    .action(async (opts: { foreground?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const available = new Set(program.commands.map((c) => c.name()));
      const result = await gatewayUp(project, { available, foreground: opts.foreground, log: (l) => ctx.out.info(l) });
      for (const w of result.apply.warnings) ctx.out.warn(w);
      // The operator's way into the web UI, also without an identity provider (once, 15 minutes).
      const link = result.processes.web ? await (await import('../discovery/web/signin-link.js')).issueSignInLink(project.stateDir, publicUrl(project.settings)) : undefined;
      if (ctx.out.options.json) ctx.out.json({ processes: result.processes, signInLink: link?.url ?? null });
      else {
        for (const [name, r] of Object.entries(result.processes)) ctx.out.line(`${name.padEnd(16)} pid ${String(r.pid).padEnd(8)} ${r.url ?? ''}`.trimEnd());
        ctx.out.line(`gateway: ${result.processes.caddy?.url} — services at <gateway>/<path>/…; \`mcpgw down\` stops it`);
        if (link) ctx.out.line(`web UI: sign in once (15 min) at ${link.url}  — \`mcpgw web --link\` prints a new link`);
      }
      if (opts.foreground) {
        // A node: follows the files, applies each change, serves /livez and /readyz (node.health_listen).
        const { runNode } = await import('../control/processes/gateway-node.js');
        process.exitCode = await (await runNode(project, result, (l) => ctx.out.info(l))).done;
      }
    });

  program
    .command('down')
    .description('stop exactly the processes `mcpgw up` started (from run/processes.json)')
    .addHelpText('after', examples('mcpgw down'))
    .action(async (_opts, cmd: Command) => {
      const ctx = contextFor(cmd);
      const result = await gatewayDown(await ctx.loadProject());
      if (ctx.out.options.json) return ctx.out.json(result);
      if (!result.stopped.length && !result.gone.length) return ctx.out.info('nothing was running');
      for (const name of result.stopped) ctx.out.line(`stopped ${name}`);
      for (const name of result.gone) ctx.out.line(`${name} had already exited`);
    });

  program
    .command('routes')
    .description('the routes the running gateway serves, and whether they match the files (processes: `mcpgw status`)')
    .addHelpText('after', examples('mcpgw routes', 'mcpgw routes --json | jq .gateway'))
    .action(async (_opts, cmd: Command) => {
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
    });

}
