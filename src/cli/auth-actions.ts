// What the access control commands do (authd, login, logout, token, whoami, keys): call the
// client plane and the identity core, print. Loaded only when one of them runs.
import type { Command } from 'commander';
import { createApiKey, readApiKeys, apiKeyInfo, revokeApiKey } from '../core/identity/api-keys.js';
import { removeCredential, saveCredential, credentialsFile, type StoredCredential } from '../client/credentials-store.js';
import { CredentialError } from '../core/identity/errors.js';
import type { LoginTarget } from '../client/login-flows.js';
import type { IdentityReport } from '../client/whoami.js';
import type { CallerLimitsReport } from '../client/caller-limits.js';
import { contextFor, type CliContext } from './context.js';
import { runUntilStopped } from './daemon.js';
import { camelCaseKeys } from './json-keys.js';

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

export async function authd(opts: { listen?: string }, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const { startAuthd } = await import('../gateway/authd/authd-server.js');
  const authd = await startAuthd({ root: ctx.paths.root, listen: opts.listen });
  ctx.out.line(`authd listening on ${authd.url}`);
  await runUntilStopped(() => authd.close());
}

export async function login(opts: { browser: boolean; device?: boolean; clientCredentials?: boolean; clientId?: string; clientSecretEnv?: string; clientSecretFile?: string; issuer?: string; scope?: string[]; port?: number }, cmd: Command): Promise<void> {
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
}

export async function logout(_opts: unknown, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const gateway = (await session()).gatewayKey((await ctx.loadProject()).settings);
  const removed = await removeCredential(gateway);
  if (ctx.out.options.json) return ctx.out.json({ gateway, removed: Boolean(removed) });
  ctx.out.info(removed ? `logged out of ${gateway}` : `was not logged in to ${gateway}`);
}

export async function token(opts: { renew?: boolean }, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const { settings } = await ctx.loadProject();
  const { token, credential, renewed } = await (await session()).currentAccessToken(settings, { forceRenew: opts.renew });
  if (ctx.out.options.json) return ctx.out.json({ accessToken: token, kind: credential.kind, expiresAt: credential.expires_at ?? null, renewed });
  ctx.out.line(token);
}

export async function whoami(_opts: unknown, cmd: Command): Promise<void> {
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
}

export async function keysCreate(opts: { name: string; group: string[] }, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const project = await ctx.loadProject();
  for (const g of opts.group) if (!Object.hasOwn(project.scopes.groups, g)) ctx.out.warn(`group "${g}" is not in scopes.yml: the key will be allowed nothing until it is`);
  const { key, info } = await createApiKey((await import('../core/config/project.js')).apiKeysFileOf(project), opts.name, opts.group);
  if (ctx.out.options.json) return ctx.out.json(camelCaseKeys({ key, ...info }));
  ctx.out.line(key);
  ctx.out.info(`API key "${info.name}" (groups: ${info.groups.join(', ')}) — shown once; store it now`);
}

export async function keysList(_opts: unknown, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const project = await ctx.loadProjectForReading();
  const list = (await readApiKeys((await import('../core/config/project.js')).apiKeysFileOf(project))).map(apiKeyInfo);
  if (ctx.out.options.json) return ctx.out.json({ keys: camelCaseKeys(list) });
  if (list.length === 0) return ctx.out.info('no API keys — create one with `mcpgw keys create --name NAME --group GROUP`');
  ctx.out.table(['NAME', 'ID', 'GROUPS', 'CREATED'], list.map((k) => [k.name, k.id, k.groups.join(','), k.created_at]));
}

export async function keysRevoke(name: string, _opts: unknown, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  // mcpgw.yaml only: a broken scopes.yml or registry.d must never stand in a revocation's way.
  const { loadApiKeysFile } = await import('../core/config/project.js');
  // authd checks keys.json on every request that presents a key: revoked once this returns.
  const info = await revokeApiKey(await loadApiKeysFile(ctx.paths.root), name);
  if (ctx.out.options.json) return ctx.out.json({ revoked: camelCaseKeys(info) });
  ctx.out.info(`revoked API key "${info.name}"`);
}
