// Commands over registry.d: validate, list, show, register, enable, disable, remove, import.
// Declarations only (names, options, help); what each does is in registry-actions.ts, loaded
// when the command runs (src/cli/lazy-action.ts).
import { Option, type Command } from 'commander';
import { TRANSPORTS } from '../core/config/transports.js';
import { CliError } from './exit-codes.js';
import { examples } from './help.js';
import { lazyAction } from './lazy-action.js';

const actions = () => import('./registry-actions.js');
const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerRegistryCommands(program: Command): void {
  program
    .command('validate')
    .description('check mcpgw.yaml, registry.d/ and scopes.yml; report every problem with file:line')
    .addHelpText('after', examples('mcpgw validate', 'mcpgw validate --json | jq .issues'))
    .action(lazyAction(actions, 'validate'));

  program
    .command('list')
    .alias('ls')
    .description('list registered services')
    .option('--enabled', 'only enabled services')
    .option('--disabled', 'only disabled services')
    .option('--tag <tag>', 'only services with this tag (repeatable)', collect)
    .addHelpText('after', examples('mcpgw list', 'mcpgw list --enabled --tag forecast', 'mcpgw list --json'))
    .action(lazyAction(actions, 'list'));

  program
    .command('show <name>')
    .description('show one service definition')
    .addHelpText('after', examples('mcpgw show weather', 'mcpgw show weather --json'))
    .action(lazyAction(actions, 'show'));

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    program
      .command(`${verb} <name...>`)
      .description(`${verb} services (keeps comments and formatting of the file)`)
      .option('--no-apply', 'do not apply to a running gateway')
      .addHelpText('after', examples(`mcpgw ${verb} weather`, `mcpgw ${verb} weather github --quiet`))
      .action(async (names: string[], _opts: unknown, cmd: Command) => (await actions()).setEnabled(verb, enabled, names, cmd));
  }

  program
    .command('remove <name>')
    .alias('rm')
    .description('delete a service definition file')
    .option('--no-apply', 'do not apply to a running gateway')
    .addHelpText('after', examples('mcpgw remove weather'))
    .action(lazyAction(actions, 'remove'));

  program
    .command('register')
    .description('add a service to registry.d (flags for CI; prompts for what is missing on a TTY)')
    .option('--name <name>', 'service name: lowercase letters, digits, dashes')
    .option('--path <path>', 'gateway path (default /<name>)')
    .option('--upstream <url>', 'upstream MCP URL (repeat to load-balance)', collect)
    .option('--command <cmdline>', 'stdio server command line, e.g. "npx -y @modelcontextprotocol/server-memory"')
    .addOption(new Option('--transport <kind>', 'transport').choices([...TRANSPORTS]))
    .option('--description <text>', 'what the service offers')
    .option('--tag <tag>', 'tag (repeatable)', collect)
    .option('--header <name=value>', 'header sent upstream; secrets by reference: "Authorization=Bearer ${env:TOKEN}" (repeatable)', collect)
    .option('--disabled', 'register it disabled')
    .option('--force', 'overwrite an existing definition')
    .option('--no-apply', 'do not apply to a running gateway')
    .addHelpText(
      'after',
      examples(
        'mcpgw register --name weather --upstream http://127.0.0.1:9000/mcp --transport streamable-http --description "Forecasts by city" --tag forecast',
        'mcpgw register --name memory --command "npx -y @modelcontextprotocol/server-memory"',
        'mcpgw register            # on a terminal: asks for each field',
      ),
    )
    .action(lazyAction(actions, 'register'));

  program
    .command('import [files...]')
    .description('migrate service definitions from the reference system JSON or an MCP Registry server.json — or read them from a registry (--registry)')
    .option('--registry <url>', 'read servers from a service speaking the MCP Registry API (the official registry, another mcpgw)')
    .option('--search <text>', 'with --registry: only servers whose name holds this')
    .option('--since <time>', 'with --registry: only servers updated after this RFC 3339 time')
    .option('--token <reference>', 'with --registry: bearer token by reference, ${env:NAME} or ${file:PATH}')
    .option('--force', 'overwrite existing definitions')
    .option('--dry-run', 'print the YAML instead of writing it')
    .option('--no-apply', 'do not apply to a running gateway')
    .option('--name <name>', 'registry.d name for the imported service (one service only; the path follows it)')
    .option('--path <path>', 'gateway path for the imported service (one service only)')
    .option('--var <name=value>', 'value for a URL template variable or package argument (repeatable)', collectVar, {})
    .addHelpText('after', examples('mcpgw import old-registry/servers/*.json', 'mcpgw import server.json --dry-run', 'mcpgw import mcpgw.json --name old-registry --path /old-registry', 'mcpgw import server.json --var host=api.example.com', 'mcpgw import --registry https://registry.modelcontextprotocol.io --search weather --dry-run', "mcpgw import --registry https://mcp.east.example.com --token '${env:EAST_TOKEN}'"))
    .action(lazyAction(actions, 'importDefinitions'));
}


function collectVar(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliError(`--var ${value}: expected NAME=VALUE, e.g. --var host=api.example.com`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

interface RegisterOptions {
  name?: string;
  path?: string;
  upstream?: string[];
  command?: string;
  transport?: string;
  description?: string;
  tag?: string[];
  header?: string[];
  disabled?: boolean;
  force?: boolean;
}
export type { RegisterOptions };
