// Access control commands: authd, login, logout, token, whoami, keys. Declarations only (names,
// options, help); what each does is in auth-actions.ts, loaded when the command runs
// (src/cli/lazy-action.ts).
import type { Command } from 'commander';
import { examples } from './help.js';
import { lazyAction } from './lazy-action.js';

const actions = () => import('./auth-actions.js');
const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerAuthCommands(program: Command): void {
  program
    .command('authd')
    .description('run the auth daemon Caddy asks before every service request (forward_auth)')
    .option('--listen <host:port>', 'address to listen on (default: authd.listen of mcpgw.yaml; port 0 = any free port)')
    .addHelpText('after', examples('mcpgw authd', 'mcpgw authd --listen 127.0.0.1:8081'))
    .action(lazyAction(actions, 'authd'));

  program
    .command('login')
    .description('sign in to the gateway (Authorization Code + PKCE in a browser, device code, or client credentials)')
    .option('--no-browser', 'do not open a browser; print the URL to open elsewhere')
    .option('--device', 'device-code flow: enter a code on another device')
    .option('--client-credentials', "an agent's own identity (OAuth client credentials)")
    .option('--client-id <id>', 'client id (default: identity.providers[].client_id)')
    .option('--client-secret-env <NAME>', 'client credentials: read the secret from this environment variable')
    .option('--client-secret-file <path>', 'client credentials: read the secret from this file')
    .option('--issuer <url>', 'which configured provider (default: the first)')
    .option('--scope <scope>', 'extra OAuth scope to request (repeatable)', collect)
    .option('--port <n>', 'loopback port for the redirect (default: a free port)', (v) => Number.parseInt(v, 10))
    .addHelpText(
      'after',
      examples(
        'mcpgw login',
        'mcpgw login --no-browser          # prints the URL to open',
        'mcpgw login --device',
        'mcpgw login --client-credentials --client-id ci-bot --client-secret-env CI_BOT_SECRET',
      ),
    )
    .action(lazyAction(actions, 'login'));

  program
    .command('logout')
    .description("forget this gateway's tokens")
    .addHelpText('after', examples('mcpgw logout'))
    .action(lazyAction(actions, 'logout'));

  program
    .command('token')
    .description('print a valid access token for the gateway (renewed silently when it is about to expire)')
    .option('--renew', 'renew now, even if the token is still valid')
    .addHelpText('after', examples('curl -H "Authorization: Bearer $(mcpgw token)" http://127.0.0.1:8080/everything/mcp', 'mcpgw token --json'))
    .action(lazyAction(actions, 'token'));

  program
    .command('whoami')
    .description('show your identity at the gateway, your groups, what they allow, and your limits with what is left')
    .addHelpText('after', examples('mcpgw whoami', 'mcpgw whoami --json'))
    .action(lazyAction(actions, 'whoami'));

  const keys = program.command('keys').description('API keys for machines (stored as hashes in the state dir)');
  keys
    .command('create')
    .description('create an API key; it is printed once and only its hash is kept')
    .requiredOption('--name <name>', 'a name for the key, e.g. the CI job')
    .requiredOption('--group <group>', 'group the key belongs to (repeatable)', collect)
    .addHelpText('after', examples('mcpgw keys create --name ci --group developers', 'KEY=$(mcpgw keys create --name ci --group developers --quiet)'))
    .action(lazyAction(actions, 'keysCreate'));
  keys
    .command('list')
    .alias('ls')
    .description('list API keys (names and groups, never the keys)')
    .addHelpText('after', examples('mcpgw keys list', 'mcpgw keys list --json'))
    .action(lazyAction(actions, 'keysList'));
  keys
    .command('revoke <name>')
    .description('revoke an API key by name or id (authd stops accepting it at once)')
    .addHelpText('after', examples('mcpgw keys revoke ci'))
    .action(lazyAction(actions, 'keysRevoke'));
}
