// A whole gateway for the web UI tests, all real: oidc-provider (people in groups), Caddy with
// the rendered routes, authd, server-everything as the upstream, the web server, and Debian's
// chromium driven by playwright-core. `close()` stops everything, also after a failed test.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningWebServer } from '../../../src/discovery/web/web-server.js';
import { startEverything, type RunningServer } from '../../../testkit/mcp-servers.js';
import { REPO_ROOT } from '../../../testkit/cli.js';
import { startTestGateway } from '../../../testkit/gateway.js';
import { startTestIdp, type TestIdp } from '../../fixtures/oidc/test-idp.js';

export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'web');
export const USERS = { ada: ['admins'], dev: ['developers'], rita: ['registrars'] } satisfies Record<string, string[]>;

export interface WebGateway {
  dir: string;
  /** http://127.0.0.1:<port>, Caddy's listener (the public URL). */
  url: string;
  idp: TestIdp;
  browser: Browser;
  web: RunningWebServer;
  /** A bearer token for calling services through the gateway as `user`. */
  token(user: keyof typeof USERS): Promise<string>;
  /** A fresh browser context, signed in as `user` through the provider's login and consent pages. */
  signIn(user: keyof typeof USERS, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWebGateway(): Promise<WebGateway> {
  const everything: RunningServer = await startEverything('streamableHttp');
  const gateway = await startTestGateway({
    idp: (url) => startTestIdp({ audience: url, users: USERS, webClients: [{ client_id: 'mcpgw-web', redirect_uris: [`${url}/ui/callback`] }] }),
    upstream: everything.url,
    everydayLimits: '{ tools: { echo: { rate: 1000/min } } }',
    // Full-text search keeps the test independent of the bundled word vectors' load time.
    settingsYaml: 'search:\n  embedder: none\n',
    web: true,
    apply: true,
  }).catch(async (err) => {
    await everything.stop();
    throw err;
  });
  gateway.onClose(() => everything.stop());
  const { url, idp, web } = gateway;
  const close = () => gateway.close();
  try {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    gateway.onClose(() => browser.close());
    await mkdir(ARTIFACTS, { recursive: true });

    const signIn = async (user: keyof typeof USERS, viewport = { width: 1280, height: 860 }) => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      await page.goto(`${url}/ui/`);
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.locator('input[name="login"]').fill(user);
      await page.locator('input[name="password"]').fill('any-password');
      await page.locator('button[type="submit"]').click();
      // The consent page of oidc-provider's development interactions.
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(`${url}/ui/`);
      await page.locator('#registry').waitFor({ state: 'visible' });
      return { context, page };
    };

    const now = () => Math.floor(Date.now() / 1000);
    return {
      dir: gateway.dir,
      url,
      idp,
      browser,
      web: web!,
      token: (user) => idp.sign({ iss: idp.issuer, aud: url, sub: user, groups: USERS[user], iat: now(), exp: now() + 900 }),
      signIn,
      screenshot: async (page, name) => void (await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** tools/list through Caddy, as an agent would: the status tells whether the route answers. */
export async function routeStatus(gateway: string, token: string): Promise<number> {
  const res = await fetch(`${gateway}/everything/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'web-test', version: '1' } } }),
  });
  await res.body?.cancel();
  return res.status;
}

/** The route's status once the apply that follows a UI change has reached Caddy (or the last seen after a minute). */
export async function routeStatusBecomes(gateway: string, token: string, wanted: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await routeStatus(gateway, token);
    if (status === wanted || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 200));
  }
}
