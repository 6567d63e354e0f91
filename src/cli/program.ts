// The commander program: global options and the command groups, one file each.
import { Command } from 'commander';
import { registerInitCommand } from './init.js';
import { registerRegistryCommands } from './registry.js';
import { registerSyncCommand } from './registry-sync.js';
import { registerFederationCommands } from './federation.js';
import { registerAuthCommands } from './auth.js';
import { registerConnectCommands } from './connect.js';
import { registerGatewayCommands } from './gateway.js';
import { registerProbeCommands } from './probe.js';
import { registerHostCommand } from './host.js';
import { registerWebCommand } from './web.js';
import { registerFindCommands } from './find.js';
import { registerServeCommand } from './serve.js';
import { registerMonitoringCommands } from './monitoring.js';
import { registerCallCommands } from './call.js';
import { examples } from './help.js';
import { assertCheckout } from '../core/config/checkout.js';
import { projectPaths } from '../core/config/paths.js';
import { checkoutRoot } from './context.js';

export { VERSION } from '../core/version.js';
import { VERSION } from '../core/version.js';

export function createProgram(): Command {
  const program = new Command('mcpgw')
    .description('MCP gateway & registry: GitOps service definitions, Caddy routes, scoped access, tool search')
    .version(VERSION)
    .option('-C, --dir <path>', 'the mcpgw checkout (default: $MCPGW_DIR or the current directory)')
    .option('--json', 'machine-readable output')
    .option('-q, --quiet', 'print only results and errors')
    .option('--no-color', 'no colour (also NO_COLOR=1); colour is used only on a TTY')
    .option('--no-input', 'never prompt, even on a terminal')
    .option('--debug', 'print stack traces')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      examples('mcpgw init', 'mcpgw register --name weather --upstream http://127.0.0.1:9000/mcp', 'mcpgw list --json', 'mcpgw validate') +
        '\nExit codes: 0 ok, 1 invalid input or usage, 2 runtime failure, 3 drift (apply --dry-run), 4 denied.\n',
    );
  program.configureHelp({ showGlobalOptions: true });
  // Every command but `init` works on an existing checkout: `-C /typo up` must not create /typo.
  program.hook('preAction', (_program, action) => {
    if (action.name() === 'init' && action.parent === program) return;
    assertCheckout(projectPaths(checkoutRoot(action)));
  });
  registerInitCommand(program);
  registerRegistryCommands(program);
  registerSyncCommand(program);
  registerFederationCommands(program);
  registerGatewayCommands(program);
  registerAuthCommands(program);
  registerConnectCommands(program);
  registerFindCommands(program);
  registerProbeCommands(program);
  registerCallCommands(program);
  registerHostCommand(program);
  registerWebCommand(program);
  registerServeCommand(program);
  registerMonitoringCommands(program);
  return program;
}
