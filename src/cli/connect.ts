// Per-user upstream accounts (upstream_auth: delegated_oauth): connect, disconnect, and the
// admin's list and revoke. Parsing and printing only; the work is in client/upstream-connect.
import type { Command } from 'commander';
import { contextFor } from './context.js';
import { examples } from './help.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const feature = () => import('../client/upstream-connect.js');

export function registerConnectCommands(program: Command): void {
  program
    .command('connect <service>')
    .description('connect your own account at a service\'s authorization server, so calls through the gateway act as you there')
    .option('--no-browser', 'do not open a browser; print the URL to open elsewhere')
    .option('--port <n>', 'loopback port for the redirect (default: any free port)', (v) => Number(v))
    .option('--scope <scope>', 'ask for this scope too (repeatable), e.g. when a call said it needs it', collect)
    .option('--revoke', 'disconnect instead (same as `mcpgw disconnect <service>`)')
    .addHelpText('after', examples('mcpgw connect github', 'mcpgw connect github --scope repo', 'mcpgw connect --revoke github'))
    .action(async (service: string, opts: { browser: boolean; port?: number; scope?: string[]; revoke?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const { connectUpstream, disconnectUpstream } = await feature();
      if (opts.revoke) return printDisconnect(ctx, await disconnectUpstream(project, service));
      const { canOpenBrowser, openInBrowser } = await import('../client/open-browser.js');
      const result = await connectUpstream(project, service, {
        port: opts.port,
        extraScopes: opts.scope,
        onAuthorizationUrl: (url) => {
          process.stderr.write(`Open this URL in a browser to connect ${service}:\n  ${url}\n`);
          if (opts.browser && canOpenBrowser()) openInBrowser(url);
        },
      });
      if (ctx.out.options.json) return ctx.out.json({ connected: result });
      ctx.out.info(`connected ${service} as ${result.subject} at ${result.authorizationServer}${result.scope ? ` (scope: ${result.scope})` : ''}${result.refreshable ? '' : ' — no refresh token: connect again when it expires'}`);
    });

  program
    .command('disconnect <service>')
    .description('remove your connected account for a service (and revoke it at its authorization server when it allows)')
    .addHelpText('after', examples('mcpgw disconnect github'))
    .action(async (service: string, _opts, cmd: Command) => {
      const ctx = contextFor(cmd);
      printDisconnect(ctx, await (await feature()).disconnectUpstream(await ctx.loadProject(), service));
    });

  const connections = program.command('connections').description("users' connected upstream accounts (admin, in the checkout; never shows tokens)");
  connections
    .command('list', { isDefault: true })
    .alias('ls')
    .description('who connected which service')
    .addHelpText('after', examples('mcpgw connections', 'mcpgw connections list --json'))
    .action(async (_opts, cmd: Command) => {
      const ctx = contextFor(cmd);
      const list = await (await feature()).listConnections(await ctx.loadProjectForReading());
      if (ctx.out.options.json) return ctx.out.json({ connections: list.map((c) => ({ service: c.service, subject: c.subject, issuer: c.issuer, authorizationServer: c.authorization_server, scope: c.scope, connectedAt: c.connected_at })) });
      if (list.length === 0) return ctx.out.info('no connected accounts');
      ctx.out.table(['SERVICE', 'USER', 'AUTHORIZATION SERVER', 'SCOPE', 'CONNECTED'], list.map((c) => [c.service, c.subject, c.authorization_server, c.scope ?? '-', c.connected_at]));
    });
  connections
    .command('revoke')
    .description("remove a user's connected account (authd stops using it with the next call)")
    .requiredOption('--user <subject>', 'the user (their subject, as `mcpgw connections` lists it)')
    .requiredOption('--service <name>', 'the service')
    .option('--issuer <url>', 'the identity provider that vouches for the user (default: the first in mcpgw.yaml)')
    .addHelpText('after', examples('mcpgw connections revoke --user alice --service github'))
    .action(async (opts: { user: string; service: string; issuer?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      printDisconnect(ctx, await (await feature()).disconnectUpstream(await ctx.loadProject(), opts.service, { subject: opts.user, issuer: opts.issuer }));
    });
}

function printDisconnect(ctx: ReturnType<typeof contextFor>, result: import('../client/upstream-connect.js').DisconnectResult): void {
  if (ctx.out.options.json) return ctx.out.json({ disconnected: result });
  if (!result.removed) return ctx.out.info(`${result.subject} had no connected account for ${result.service}`);
  ctx.out.info(`disconnected ${result.service} for ${result.subject}${result.revokedAtServer ? ' (revoked at its authorization server)' : ''}`);
}
