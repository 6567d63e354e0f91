// `mcpgw login` end to end against a real OpenID provider: the test plays the browser over
// HTTP (login and consent pages), the CLI receives the code on its loopback redirect.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningAuthd } from '../../src/gateway/authd/authd-server.js';
import { startCliUntil } from '../../testkit/cli.js';
import { signInAndConsent } from '../fixtures/oidc/browser.js';
import { startLoginSetup, type LoginSetup } from '../fixtures/oidc/login-setup.js';
import { authdVerdict } from '../fixtures/oidc/authd-verdict.js';

const MACHINE_SECRET = 'machine-secret-0123456789-abcdefghijklmnop';

/** Start `mcpgw login` and hand back the authorization URL it prints, and its exit. */
async function startLogin(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ url: string; done: Promise<{ code: number; stderr: string }> }> {
  const { match, done } = await startCliUntil(['login', ...args], /(http:\/\/\S+\/auth\?\S+)/, { cwd, env });
  return { url: match[1]!, done };
}

describe('mcpgw login, token, whoami, logout', () => {
  let project: LoginSetup['project'];
  let configDir: string;
  let authd: RunningAuthd;
  let env: NodeJS.ProcessEnv;
  let cli: LoginSetup['cli'];
  let credentials: LoginSetup['credentials'];
  let setup: LoginSetup | undefined;

  before(async () => {
    setup = await startLoginSetup({ machines: { 'ci-bot': { secret: MACHINE_SECRET, groups: ['ci'] } }, env: { CI_BOT_SECRET: MACHINE_SECRET } });
    ({ project, configDir, authd, env, cli, credentials } = setup);
  });
  after(async () => {
    await setup?.close();
  });

  test('login --no-browser prints the URL; signing in stores tokens (0600) that authd accepts', async () => {
    const login = await startLogin(['-C', project.dir, '--no-browser'], project.dir, env);
    assert.match(login.url, /code_challenge_method=S256/);
    assert.match(login.url, /resource=/);
    const delivered = await signInAndConsent(login.url, 'alice');
    assert.match(delivered.redirectedTo, /^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    assert.match(delivered.body, /sign-in finished/);
    await setup!.assertSignedIn(await login.done);
  });

  test('token prints the stored access token; whoami shows identity, groups and rights', async () => {
    const token = await cli('token');
    assert.equal(token.code, 0, token.stderr);
    assert.equal(token.stdout.trim(), (await credentials()).access_token);
    const who = await cli('whoami', '--json');
    assert.equal(who.code, 0, who.stderr);
    const report = JSON.parse(who.stdout).data;
    assert.equal(report.identity.subject, 'alice');
    assert.deepEqual(report.identity.groups, ['developers']);
    assert.deepEqual(report.identity.scopes, ['everyday']);
    assert.deepEqual(report.registry, ['list']);
    assert.deepEqual(report.servers[0].grant.tools, ['echo']);
    const text = await cli('whoami');
    assert.match(text.stdout, /alice/);
    assert.match(text.stdout, /everything\s+everyday/);
  });

  test('an access token about to expire is renewed silently with the refresh token', async () => {
    const file = join(configDir, 'credentials.json');
    const all = JSON.parse(await readFile(file, 'utf8'));
    const old = all.gateways[setup!.gateway].access_token;
    all.gateways[setup!.gateway].expires_at = Math.floor(Date.now() / 1000) - 5;
    await writeFile(file, JSON.stringify(all));
    const token = await cli('token');
    assert.equal(token.code, 0, token.stderr);
    const fresh = token.stdout.trim();
    assert.notEqual(fresh, old);
    assert.equal(await authdVerdict(authd, fresh, 'echo'), 200);
    assert.ok((await credentials()).expires_at > Date.now() / 1000);
  });

  test('logout forgets the tokens; token then exits 4 (denied)', async () => {
    const out = await cli('logout');
    assert.equal(out.code, 0, out.stderr);
    const token = await cli('token');
    assert.equal(token.code, 4);
    assert.ok(token.stderr.includes(`not logged in to ${setup!.gateway}`), token.stderr);
  });

  test('login --client-credentials gets a machine identity and stores only the secret reference', async () => {
    const out = await cli('login', '--client-credentials', '--client-id', 'ci-bot', '--client-secret-env', 'CI_BOT_SECRET');
    assert.equal(out.code, 0, out.stderr);
    const raw = await readFile(join(configDir, 'credentials.json'), 'utf8');
    assert.ok(!raw.includes(MACHINE_SECRET), 'the secret itself is not stored');
    const stored = await credentials();
    assert.equal(stored.client_secret_ref, '${env:CI_BOT_SECRET}');
    const who = JSON.parse((await cli('whoami', '--json')).stdout).data;
    assert.equal(who.identity.kind, 'client-credentials');
    assert.deepEqual(who.identity.groups, ['ci']);
    assert.equal(await authdVerdict(authd, stored.access_token, 'get-sum'), 200);
    assert.equal(await authdVerdict(authd, stored.access_token, 'echo'), 403);
    const renewed = await cli('token', '--renew', '--json');
    assert.equal(JSON.parse(renewed.stdout).data.renewed, true);
  });

  test('keys create prints the key once, list never shows it, revoke removes it', async () => {
    const created = await cli('keys', 'create', '--name', 'ci', '--group', 'ci', '--quiet');
    assert.equal(created.code, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^mcpgw_[a-f0-9]{12}_/);
    const keysFile = join(project.dir, '.mcpgw', 'keys.json');
    assert.equal((await stat(keysFile)).mode & 0o777, 0o600);
    assert.ok(!(await readFile(keysFile, 'utf8')).includes(key));
    const list = await cli('keys', 'list', '--json');
    assert.deepEqual(JSON.parse(list.stdout).data.keys.map((k: { name: string; groups: string[] }) => [k.name, k.groups]), [['ci', ['ci']]]);
    assert.ok(!list.stdout.includes(key));
    const dup = await cli('keys', 'create', '--name', 'ci', '--group', 'ci');
    assert.equal(dup.code, 1);
    assert.equal((await cli('keys', 'revoke', 'ci')).code, 0);
    assert.deepEqual(JSON.parse((await cli('keys', 'list', '--json')).stdout).data.keys, []);
    assert.equal((await cli('keys', 'revoke', 'ci')).code, 1);
  });
});
