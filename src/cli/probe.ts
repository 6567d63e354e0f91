// Commands over service health and tools: probe, status, tools diff, tools approve.
// Declarations only (names, options, help); what each does is in probe-actions.ts, loaded when
// the command runs (src/cli/lazy-action.ts).
import type { Command } from 'commander';
import { DEFAULT_CONCURRENCY } from '../control/probe/probe-defaults.js';
import { CliError } from './exit-codes.js';
import { examples } from './help.js';
import { lazyAction } from './lazy-action.js';

const actions = () => import('./probe-actions.js');
const collect = (value: string, previous: string[] = []) => [...previous, value];

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`"${value}" is not a positive whole number`);
  return n;
}

export function registerProbeCommands(program: Command): void {
  program
    .command('probe [names...]')
    .description('check enabled services (or the named ones): connect, initialize, list tools; record health and tool snapshots')
    .option('--concurrency <n>', `checks in flight at once (default ${DEFAULT_CONCURRENCY})`, positiveInt)
    .option('--timeout <duration>', 'override every service\'s health.timeout, e.g. 10s')
    .option('--watch', 'keep probing each service on its health.interval and print changes (what `mcpgw up` runs)')
    .addHelpText(
      'after',
      examples('mcpgw probe', 'mcpgw probe weather git --timeout 10s', 'mcpgw probe --json | jq \'.results[] | {service, status: .health.status}\'', 'mcpgw probe --watch') +
        '\nExit codes: 0 every probed service is healthy, 2 any is unhealthy, timed out or needs auth, 1 bad usage.\n',
    )
    .action(lazyAction(actions, 'probe'));

  program
    .command('status')
    .description('services with their health, tools, latency and last check; the gateway\'s processes when it runs')
    .option('--watch', 'refresh in place (on a terminal)')
    .option('--interval <duration>', 'refresh interval for --watch', '2s')
    .addHelpText('after', examples('mcpgw status', 'mcpgw status --json', 'mcpgw status --watch --interval 5s'))
    .action(lazyAction(actions, 'status'));

  const tools = program.command('tools').description('a service\'s tools through the gateway (list), their changes and approvals (tool pinning)');

  tools
    .command('diff <name>')
    .description('show how a service\'s tools changed between probes, and which wait for approval')
    .addHelpText('after', examples('mcpgw tools diff weather', 'mcpgw tools diff weather --json'))
    .action(lazyAction(actions, 'toolsDiff'));

  tools
    .command('approve <name>')
    .description('approve the tools a pinned service offers now (all, or those named with --tool)')
    .option('--tool <tool>', 'approve only this tool (repeatable)', collect)
    .addHelpText('after', examples('mcpgw tools approve weather', 'mcpgw tools approve weather --tool get_forecast'))
    .action(lazyAction(actions, 'toolsApprove'));
}
