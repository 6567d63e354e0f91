// Commands that drive Caddy: render, apply, up, down, routes. Declarations only (names, options,
// help); what each does is in gateway-actions.ts, loaded when the command runs.
import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import { examples } from './help.js';

const actions = () => import('./gateway-actions.js');
const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerGatewayCommands(program: Command): void {
  program
    .command('render')
    .description('print the Caddy config the files describe (JSON, or a Caddyfile from Caddyfile.tmpl), or Kubernetes manifests for a cluster of gateway nodes')
    .option('--caddyfile', 'a Caddyfile for running Caddy from a file')
    .option('--kubernetes', 'Kubernetes manifests: ConfigMaps of this checkout, the nodes StatefulSet, Services, PDB, HPA, NetworkPolicy, an HTTPRoute example')
    .option('-o, --out <path>', 'write to a file (with --kubernetes: a directory, one file per object and a kustomization.yaml) instead of stdout')
    .option('--namespace <ns>', '(--kubernetes) the namespace', 'mcpgw')
    .option('--name <name>', '(--kubernetes) the name of the objects', 'mcpgw')
    .option('--image <ref>', '(--kubernetes) the mcpgw image (built from the Containerfile)')
    .option('--replicas <n>', '(--kubernetes) gateway nodes (the HPA minimum)', '3')
    .option('--max-replicas <n>', '(--kubernetes) the HPA maximum', '10')
    .option('--public-url <url>', '(--kubernetes) where agents reach the gateway (sets gateway.public_url)')
    .addHelpText(
      'after',
      examples('mcpgw render | jq .apps.http.servers.mcpgw.routes', 'mcpgw render --caddyfile -o Caddyfile && caddy run --config Caddyfile', 'mcpgw render --kubernetes --image registry.example.com/mcpgw:0.1.0 --public-url https://mcp.example.com -o k8s/ && kubectl apply -k k8s/'),
    )
    .action(lazyAction(actions, 'render'));

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
    .action(lazyAction(actions, 'apply'));

  program
    .command('up')
    .description('start Caddy and mcpgw daemons (authd, …) as managed processes, then apply')
    .option('--foreground', 'stay attached (containers, systemd): follow the files and apply each change, serve /livez and /readyz at node.health_listen, stop everything on SIGINT/SIGTERM (exit 0) or when a process dies (exit 1)')
    .addHelpText('after', examples('mcpgw up', 'mcpgw up --foreground    # e.g. in templates/mcpgw.service', 'mcpgw routes && mcpgw down'))
    .action(lazyAction(actions, 'up'));

  program
    .command('down')
    .description('stop exactly the processes `mcpgw up` started (from run/processes.json)')
    .addHelpText('after', examples('mcpgw down'))
    .action(lazyAction(actions, 'down'));

  program
    .command('routes')
    .description('the routes the running gateway serves, and whether they match the files (processes: `mcpgw status`)')
    .addHelpText('after', examples('mcpgw routes', 'mcpgw routes --json | jq .gateway'))
    .action(lazyAction(actions, 'routes'));

}
