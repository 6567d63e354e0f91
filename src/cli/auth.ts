// Access control commands: authd, login, logout, token, whoami, keys. Parsing and printing only;
// the work is done in src/auth.
import type { Command } from 'commander';
import { createApiKey, readApiKeys, apiKeyInfo, revokeApiKey } from '../core/identity/api-keys.js';
import { removeCredential, saveCredential, credentialsFile, type StoredCredential } from '../client/credentials-store.js';
import { CredentialError } from '../core/identity/errors.js';
import type { LoginTarget } from '../client/login-flows.js';
import type { IdentityReport } from '../client/whoami.js';
import type { CallerLimitsReport } from '../client/caller-limits.js';
import { contextFor, type CliContext } from './context.js';
import { examples } from './help.js';
import { runUntilStopped } from './daemon.js';
import { camelCaseKeys } from './json-keys.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function printReport(ctx: CliContext, report: IdentityReport): void {
  const { identity: id } = report;
  const { c } = ctx.out;
  ctx.out.line(`${c.bold(id.subject)}  (${id.kind}${id.issuer ? `, ${id.issuer}` : ''})`);
  ctx.out.line(`  groups:   ${id.groups.join(', ') || c.dim('none')}`);
  ctx.out.line(`  scopes:   ${id.scopes.join(', ') || c.dim('none — everything is denied')}`);
  if (id.expiresAt) ctx.out.line(`  expires:  ${new Date(id.expiresAt).toISOString()}`);
  ctx.out.line(`  registry: ${report.registry.join(', ') || c.dim('none')}`);
  if (report.servers.length) {
    ctx.out.line('');
    ctx.out.table(
      ['SERVER', 'SCOPE', 'METHODS', 'TOOLS', 'PROMPTS', 'RESOURCES'],
      report.servers.map(({ server, scope, grant }) => [server, scope, grant.methods.join(','), grant.tools.join(',') || '-', grant.prompts.join(',') || '-', grant.resources.join(',') || '-']),
    );
  }
}

function printLimits(ctx: CliContext, report: CallerLimitsReport): void {
  if (report.limits.length === 0) return;
  const { c } = ctx.out;
  ctx.out.line('');
  ctx.out.table(
    ['LIMIT', 'DECLARED', 'PER', 'LEFT', 'RESETS IN'],
    report.limits.map((l) => [l.name, l.declared, l.per === 'caller' ? 'you' : 'all callers', l.remaining === null ? '?' : `${l.remaining}/${l.limit}`, l.resets_in_s ? `${l.resets_in_s}s` : '-']),
  );
  if (report.note) ctx.out.line(c.dim(`  ${report.note}`));
}

/** After a login: say who we are now, and warn when authd would refuse the token. */
async function reportLogin(ctx: CliContext, gateway: string, credential: StoredCredential): Promise<void> {
  const project = await ctx.loadProject();
  try {
    const report = await describeToken(project, credential.access_token);
    if (ctx.out.options.json) return ctx.out.json({ gateway, ...report });
    ctx.out.info(`logged in to ${gateway} as ${report.identity.subject} (groups: ${report.identity.groups.join(', ') || 'none'})`);
  } catch (err) {
    if (ctx.out.options.json) return ctx.out.json({ gateway, warning: (err as Error).message });
    ctx.out.warn(`logged in to ${gateway}, but authd will refuse this token: ${(err as Error).message}`);
  }
}

// openid-client and jose load only when an auth command runs, so other commands start fast.
const session = () => import('../client/session.js');
const describeToken = async (...args: Parameters<typeof import('../client/whoami.js').describeToken>) => (await import('../client/whoami.js')).describeToken(...args);

export function registerAuthCommands(program: Command): void {
  program
    .command('authd')
    .description('run the auth daemon Caddy asks before every service request (forward_auth)')
    .option('--listen <host:port>', 'address to listen on (default: authd.listen of mcpgw.yaml; port 0 = any free port)')
    .addHelpText('after', examples('mcpgw authd', 'mcpgw authd --listen 127.0.0.1:8081'))
    .action(async (opts: { listen?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { startAuthd } = await import('../gateway/authd/authd-server.js');
      const authd = await startAuthd({ root: ctx.paths.root, listen: opts.listen });
      ctx.out.line(`authd listening on ${authd.url}`);
      await runUntilStopped(() => authd.close());
    });

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
    .action(async (opts: { browser: boolean; device?: boolean; clientCredentials?: boolean; clientId?: string; clientSecretEnv?: string; clientSecretFile?: string; issuer?: string; scope?: string[]; port?: number }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const { gatewayKey, providerFor } = await session();
      const { loginWithBrowser, loginWithClientCredentials, loginWithDevice } = await import('../client/login-flows.js');
      const { canOpenBrowser, openInBrowser } = await import('../client/open-browser.js');
      const gateway = gatewayKey(project.settings);
      const credential = await (async () => {
        const provider = providerFor(project.settings, opts.issuer);
        const clientId = opts.clientId ?? provider.client_id;
        if (!clientId) throw new CredentialError('ERR_NO_CLIENT_ID', 'no client id', 'pass --client-id or set identity.providers[].client_id in mcpgw.yaml');
        const target: LoginTarget = { provider, clientId, scopes: opts.scope };
        if (opts.clientCredentials) {
          const ref = opts.clientSecretEnv ? `\${env:${opts.clientSecretEnv}}` : opts.clientSecretFile ? `\${file:${opts.clientSecretFile}}` : undefined;
          if (!ref) throw new CredentialError('ERR_NO_SECRET_REF', 'client credentials need --client-secret-env NAME or --client-secret-file PATH');
          return loginWithClientCredentials(target, ref, ctx.paths.root);
        }
        if (opts.device) {
          return loginWithDevice(target, {
            onUserCode: ({ verificationUri, verificationUriComplete, userCode }) =>
              process.stderr.write(`To sign in, open ${verificationUri} and enter the code ${userCode}\n${verificationUriComplete ? `  (or open ${verificationUriComplete})\n` : ''}`),
          });
        }
        return loginWithBrowser(target, {
          port: opts.port,
          onAuthorizationUrl: (url) => {
            // Always printed: the fallback when no browser opens, and what --no-browser is for.
            process.stderr.write(`Open this URL in a browser to sign in:\n  ${url}\n`);
            if (opts.browser && canOpenBrowser()) openInBrowser(url);
          },
        });
      })();
      await saveCredential(gateway, credential);
      await reportLogin(ctx, gateway, credential);
    });

  program
    .command('logout')
    .description("forget this gateway's tokens")
    .addHelpText('after', examples('mcpgw logout'))
    .action(async (_opts, cmd: Command) => {
      const ctx = contextFor(cmd);
      const gateway = (await session()).gatewayKey((await ctx.loadProject()).settings);
      const removed = await removeCredential(gateway);
      if (ctx.out.options.json) return ctx.out.json({ gateway, removed: Boolean(removed) });
      ctx.out.info(removed ? `logged out of ${gateway}` : `was not logged in to ${gateway}`);
    });

  program
    .command('token')
    .description('print a valid access token for the gateway (renewed silently when it is about to expire)')
    .option('--renew', 'renew now, even if the token is still valid')
    .addHelpText('after', examples('curl -H "Authorization: Bearer $(mcpgw token)" http://127.0.0.1:8080/everything/mcp', 'mcpgw token --json'))
    .action(async (opts: { renew?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { settings } = await ctx.loadProject();
      const { token, credential, renewed } = await (await session()).currentAccessToken(settings, { forceRenew: opts.renew });
      if (ctx.out.options.json) return ctx.out.json({ accessToken: token, kind: credential.kind, expiresAt: credential.expires_at ?? null, renewed });
      ctx.out.line(token);
    });

  program
    .command('whoami')
    .description('show your identity at the gateway, your groups, what they allow, and your limits with what is left')
    .addHelpText('after', examples('mcpgw whoami', 'mcpgw whoami --json'))
    .action(async (_opts, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const { report, limits } = await (async () => {
        const { token } = await (await session()).currentAccessToken(project.settings);
        const report = await describeToken(project, token);
        return { report, limits: await (await import('../client/caller-limits.js')).callerLimitsReport(project, report.identity, token) };
      })();
      if (ctx.out.options.json) return ctx.out.json({ gateway: (await session()).gatewayKey(project.settings), credentials: credentialsFile(), ...report, limits: camelCaseKeys(limits) });
      printReport(ctx, report);
      printLimits(ctx, limits);
    });

  const keys = program.command('keys').description('API keys for machines (stored as hashes in the state dir)');
  keys
    .command('create')
    .description('create an API key; it is printed once and only its hash is kept')
    .requiredOption('--name <name>', 'a name for the key, e.g. the CI job')
    .requiredOption('--group <group>', 'group the key belongs to (repeatable)', collect)
    .addHelpText('after', examples('mcpgw keys create --name ci --group developers', 'KEY=$(mcpgw keys create --name ci --group developers --quiet)'))
    .action(async (opts: { name: string; group: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      for (const g of opts.group) if (!Object.hasOwn(project.scopes.groups, g)) ctx.out.warn(`group "${g}" is not in scopes.yml: the key will be allowed nothing until it is`);
      const { key, info } = await createApiKey((await import('../core/config/project.js')).apiKeysFileOf(project), opts.name, opts.group);
      if (ctx.out.options.json) return ctx.out.json(camelCaseKeys({ key, ...info }));
      ctx.out.line(key);
      ctx.out.info(`API key "${info.name}" (groups: ${info.groups.join(', ')}) — shown once; store it now`);
    });
  keys
    .command('list')
    .alias('ls')
    .description('list API keys (names and groups, never the keys)')
    .addHelpText('after', examples('mcpgw keys list', 'mcpgw keys list --json'))
    .action(async (_opts, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProjectForReading();
      const list = (await readApiKeys((await import('../core/config/project.js')).apiKeysFileOf(project))).map(apiKeyInfo);
      if (ctx.out.options.json) return ctx.out.json({ keys: camelCaseKeys(list) });
      if (list.length === 0) return ctx.out.info('no API keys — create one with `mcpgw keys create --name NAME --group GROUP`');
      ctx.out.table(['NAME', 'ID', 'GROUPS', 'CREATED'], list.map((k) => [k.name, k.id, k.groups.join(','), k.created_at]));
    });
  keys
    .command('revoke <name>')
    .description('revoke an API key by name or id (authd stops accepting it at once)')
    .addHelpText('after', examples('mcpgw keys revoke ci'))
    .action(async (name: string, _opts, cmd: Command) => {
      const ctx = contextFor(cmd);
      // mcpgw.yaml only: a broken scopes.yml or registry.d must never stand in a revocation's way.
      const { loadApiKeysFile } = await import('../core/config/project.js');
      // authd checks keys.json on every request that presents a key: revoked once this returns.
      const info = await revokeApiKey(await loadApiKeysFile(ctx.paths.root), name);
      if (ctx.out.options.json) return ctx.out.json({ revoked: camelCaseKeys(info) });
      ctx.out.info(`revoked API key "${info.name}"`);
    });
}
