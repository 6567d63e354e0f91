// upstream_auth: delegated_oauth end to end: a second real oidc-provider is the upstream's own
// authorization server, the upstream (SDK server) accepts only its tokens for its audience.
// `mcpgw connect` (Authorization Code + PKCE) stores alice's grant encrypted (mode 0600); her
// calls through Caddy → authd carry her own upstream token, renewed with the refresh token when
// it expires; `mcpgw disconnect` and an admin's `mcpgw connections revoke` end it at once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { waitForPort } from '../../../testkit/ports.js';
import { MAIN, runCli, TSX } from '../../../testkit/cli.js';
import { startAudienceCheckingServer, type RunningAudienceCheckingServer } from '../../../testkit/audience-checking-server.js';
import { saveCredential } from '../../../src/client/credentials-store.js';
import { grantKey, UpstreamGrantStore } from '../../../src/core/state/upstream-grants.js';
import { startTestIdp, type TestIdp } from '../../fixtures/oidc/test-idp.js';
import { signInAndConsent } from '../../fixtures/oidc/browser.js';

const GITHUB = 'https://github.test.example';
const KEY_ENV = 'MCPGW_TEST_GRANTS_KEY';
const KEY = 'test-grants-key-0123456789abcdef-0123456789';
const SCOPES = `groups:
  developers: [coders]
scopes:
  coders:
    servers:
      github: { tools: [whoami] }
`;

describe('delegated OAuth end to end (a second oidc-provider as the upstream\'s authorization server)', () => {
  let gw: TestGateway<TestIdp>;
  let upstreamAs: TestIdp;
  let github: RunningAudienceCheckingServer;
  let configDir: string;
  const logs: string[] = [];
  const outputs: string[] = [];
  const seenTokens = new Set<string>();
  const gatewayToken: Record<string, string> = {};

  before(async () => {
    process.env[KEY_ENV] = KEY;
    configDir = await mkdtemp(join(tmpdir(), 'mcpgw-connect-'));
    gw = await startTestGateway({
      idp: (url) => startTestIdp({ audience: url, users: {} }),
      scopes: SCOPES,
      authd: false,
      settingsYaml: `upstream_credentials:\n  encryption_key: "\${env:${KEY_ENV}}"\n`,
      prepare: async (checkout) => {
        upstreamAs = await startTestIdp({ audience: GITHUB, users: { alice: [], bob: [] }, cliClientId: 'mcpgw-connector', accessTokenTtlSeconds: 31 });
        checkout.onClose(() => upstreamAs.close());
        github = await startAudienceCheckingServer({ issuer: upstreamAs.issuer, audience: GITHUB });
        checkout.onClose(() => github.close());
        // No authorization_server: mcpgw finds it from the upstream's 401 (RFC 9728 resource_metadata).
        await checkout.writeService('github', `upstream: ${github.url}\nupstream_auth:\n  mode: delegated_oauth\n  client_id: mcpgw-connector\n  scopes: [openid]\n`);
      },
    });
    await gw.startAuthd({ log: (l) => logs.push(l) });
    await gw.apply();
    await waitForPort(gw.ports.gateway, gw.host, 30_000);
    const now = Math.floor(Date.now() / 1000);
    for (const sub of ['alice', 'bob']) gatewayToken[sub] = await gw.idp.sign({ iss: gw.idp.issuer, aud: gw.url, sub, groups: ['developers'], iat: now, exp: now + 900 });
    await signInToGateway('alice');
  });
  after(async () => {
    delete process.env[KEY_ENV];
    await gw?.close();
    await rm(configDir, { recursive: true, force: true });
  });

  const env = () => ({ MCPGW_CONFIG_DIR: configDir, [KEY_ENV]: KEY });
  const signInToGateway = (sub: string) =>
    saveCredential(gw.url, { kind: 'oidc', issuer: gw.idp.issuer, client_id: 'mcpgw-cli', resource: gw.url, access_token: gatewayToken[sub]!, expires_at: Math.floor(Date.now() / 1000) + 900, obtained_at: new Date().toISOString() }, join(configDir, 'credentials.json'));
  const cli = async (...args: string[]) => {
    const out = await runCli(['-C', gw.dir, ...args], { cwd: gw.dir, env: env() });
    outputs.push(out.stdout, out.stderr);
    return out;
  };

  /** `mcpgw connect github` as a user would run it: open the printed URL, sign in as `user` at the upstream's server, consent. */
  function connect(user: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', TSX, MAIN, '-C', gw.dir, 'connect', 'github', '--no-browser'], { cwd: gw.dir, env: { ...process.env, ...env(), NO_COLOR: '1' } });
      let stderr = '';
      let opened = false;
      child.stdout.on('data', (d) => outputs.push(String(d)));
      child.stderr.on('data', (d) => {
        stderr += d;
        const url = /(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)/.exec(stderr)?.[1];
        if (url && !opened) {
          opened = true;
          signInAndConsent(url, user).catch(reject);
        }
      });
      child.on('exit', (code) => {
        outputs.push(stderr);
        resolve({ code, stderr });
      });
    });
  }

  const callWhoami = async (sub: string) => {
    const res = await fetch(`${gw.url}/github/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gatewayToken[sub]}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
    });
    return { status: res.status, body: await res.json() };
  };
  const store = () => new UpstreamGrantStore(join(gw.dir, '.mcpgw', 'upstream-grants'), grantKey(KEY));
  const owner = (subject: string) => ({ issuer: gw.idp.issuer, subject, service: 'github' });

  test('before connecting, a call says how to connect and reaches no upstream', async () => {
    const seen = github.authorizations.length;
    const { status, body } = await callWhoami('alice');
    assert.equal(status, 403);
    assert.equal(body.error.data.code, 'ERR_UPSTREAM_NOT_CONNECTED');
    assert.equal(body.error.data.connect, 'mcpgw connect github');
    assert.match(body.error.message, /connect it once: mcpgw connect github/);
    assert.equal(github.authorizations.length, seen);
  });

  test('mcpgw connect stores the grant encrypted, mode 0600, and alice\'s calls carry her own upstream token', async () => {
    const connected = await connect('alice');
    assert.equal(connected.code, 0, connected.stderr);
    assert.match(connected.stderr, /connected github as alice/);
    const dir = join(gw.dir, '.mcpgw', 'upstream-grants');
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    const [file] = await readdir(dir);
    assert.equal((await stat(join(dir, file!))).mode & 0o777, 0o600);
    const grant = (await store().load(owner('alice')))!;
    assert.ok(grant.refresh_token, 'offline_access gave a refresh token');
    const text = await readFile(join(dir, file!), 'utf8');
    for (const secret of [grant.access_token, grant.refresh_token]) {
      seenTokens.add(secret!);
      assert.ok(!text.includes(secret!), 'no token in the file in clear');
    }

    const { status, body } = await callWhoami('alice');
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(JSON.parse(body.result.content[0].text), { sub: 'alice', aud: GITHUB });
    assert.equal(github.authorizations.at(-1), `Bearer ${grant.access_token}`);
    assert.ok(!github.authorizations.includes(`Bearer ${gatewayToken.alice}`), 'the gateway token never reached the upstream');
    assert.equal((await callWhoami('bob')).body.error.data.code, 'ERR_UPSTREAM_NOT_CONNECTED', 'bob has not connected');
    const listed = JSON.parse((await cli('connections', 'list', '--json')).stdout);
    assert.deepEqual(listed.data.connections.map((c: { service: string; subject: string }) => [c.service, c.subject]), [['github', 'alice']]);
  });

  test('an expired upstream token is renewed with the refresh token and stored again', async () => {
    const before = (await store().load(owner('alice')))!;
    // 31 s tokens are renewed 30 s before they expire: a second later this one is due.
    await new Promise((r) => setTimeout(r, Math.max(0, before.expires_at! - 30_000 - Date.now()) + 500));
    const { status, body } = await callWhoami('alice');
    assert.equal(status, 200, JSON.stringify(body));
    const renewed = (await store().load(owner('alice')))!;
    assert.notEqual(renewed.access_token, before.access_token);
    assert.equal(github.authorizations.at(-1), `Bearer ${renewed.access_token}`);
    assert.equal(decodeJwt(renewed.access_token).sub, 'alice');
    seenTokens.add(renewed.access_token).add(renewed.refresh_token!);
  });

  test('mcpgw disconnect revokes at once (and at the authorization server); an admin can revoke too', async () => {
    const out = await cli('disconnect', 'github');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /disconnected github for alice \(revoked at its authorization server\)/);
    assert.equal((await callWhoami('alice')).body.error.data.code, 'ERR_UPSTREAM_NOT_CONNECTED');

    assert.equal((await connect('alice')).code, 0);
    assert.equal((await callWhoami('alice')).status, 200);
    const grant = (await store().load(owner('alice')))!;
    seenTokens.add(grant.access_token).add(grant.refresh_token!);
    const revoked = await cli('connections', 'revoke', '--user', 'alice', '--service', 'github');
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await callWhoami('alice')).body.error.data.code, 'ERR_UPSTREAM_NOT_CONNECTED');
    assert.deepEqual(await readdir(join(gw.dir, '.mcpgw', 'upstream-grants')), []);
  });

  test('no upstream token, refresh token or the encryption key is in authd\'s log, the audit trail or the CLI\'s output', async () => {
    const audit = await readFile(join(gw.dir, '.mcpgw', 'audit.jsonl'), 'utf8');
    assert.match(audit, /ERR_UPSTREAM_NOT_CONNECTED/);
    assert.ok(seenTokens.size >= 6);
    for (const text of [audit, logs.join('\n'), outputs.join('\n')]) {
      for (const secret of [...seenTokens, KEY]) assert.ok(!text.includes(secret));
    }
  });
});
