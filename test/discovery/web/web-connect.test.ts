// The web UI's Connect button for a delegated_oauth service (real Chromium, real Caddy, two
// oidc-providers): a signed-in person connects their own account at the upstream's authorization
// server, their calls through the gateway then act as them, and Disconnect ends it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startAudienceCheckingServer } from '../../../testkit/audience-checking-server.js';
import { startTestIdp, type TestIdp } from '../../fixtures/oidc/test-idp.js';

const GITHUB = 'https://github.test.example';
const KEY_ENV = 'MCPGW_TEST_WEB_GRANTS_KEY';

describe('web UI: Connect and Disconnect an upstream account (delegated OAuth)', () => {
  let gw: TestGateway<TestIdp>;
  let browser: Browser;

  before(async () => {
    process.env[KEY_ENV] = 'web-grants-key-0123456789abcdef-0123456789';
    gw = await startTestGateway({
      idp: (url) => startTestIdp({ audience: url, users: { alice: ['developers'] }, webClients: [{ client_id: 'mcpgw-web', redirect_uris: [`${url}/ui/callback`] }] }),
      scopes: 'groups:\n  developers: [coders]\nscopes:\n  coders:\n    servers:\n      github: { tools: [whoami] }\n    registry: [list]\n',
      settingsYaml: `search:\n  embedder: none\nupstream_credentials:\n  encryption_key: "\${env:${KEY_ENV}}"\n`,
      web: true,
      apply: true,
      prepare: async (checkout) => {
        const as = await startTestIdp({ audience: GITHUB, users: { alice: [] }, cliClientId: 'mcpgw-connector', cliRedirectUris: [`${checkout.url}/ui/connect/callback`] });
        checkout.onClose(() => as.close());
        const github = await startAudienceCheckingServer({ issuer: as.issuer, audience: GITHUB });
        checkout.onClose(() => github.close());
        await checkout.writeService('github', `upstream: ${github.url}\nupstream_auth:\n  mode: delegated_oauth\n  client_id: mcpgw-connector\n  scopes: [openid]\n`);
      },
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });
  after(async () => {
    await browser?.close();
    await gw?.close();
    delete process.env[KEY_ENV];
  });

  const whoami = async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await gw.idp.sign({ iss: gw.idp.issuer, aud: gw.url, sub: 'alice', groups: ['developers'], iat: now, exp: now + 900 });
    const res = await fetch(`${gw.url}/github/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
    });
    return { status: res.status, body: await res.json() };
  };

  test('Connect on the service card signs in at the upstream\'s server; calls then carry alice\'s own token; Disconnect ends it', async () => {
    assert.equal((await whoami()).body.error.data.code, 'ERR_UPSTREAM_NOT_CONNECTED');
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const signIn = async () => {
      await page.locator('input[name="login"]').fill('alice');
      await page.locator('input[name="password"]').fill('any-password');
      await page.locator('button[type="submit"]').click();
      await page.locator('button[type="submit"]').click(); // consent
    };
    await page.goto(`${gw.url}/ui/`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn();
    await page.waitForURL(`${gw.url}/ui/`);
    await page.getByRole('link', { name: 'Connect your github account' }).click();
    await signIn(); // now at the upstream's own authorization server
    await page.waitForURL(`${gw.url}/ui/?connected=github`);

    const connected = await whoami();
    assert.equal(connected.status, 200, JSON.stringify(connected.body));
    assert.deepEqual(JSON.parse(connected.body.result.content[0].text), { sub: 'alice', aud: GITHUB });

    await page.getByRole('button', { name: 'Disconnect your github account' }).click();
    await page.getByText('github: your account is disconnected').waitFor();
    assert.equal((await whoami()).body.error.data.code, 'ERR_UPSTREAM_NOT_CONNECTED');
    await context.close();
  });
});
