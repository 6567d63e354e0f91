// The web UI without an identity provider (issue 14 item 3), in a real browser (Debian chromium)
// through a real Caddy: the operator's one-time sign-in link works once, and every error a
// person can land on is an HTML page with a next step, not raw JSON.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { runCli } from '../../../testkit/cli.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';

describe('web UI sign-in without an identity provider (chromium, Caddy)', () => {
  let project: TestGateway;
  let browser: Browser;
  let url: string;
  const link = async () => {
    const r = await runCli(['web', '--link'], { cwd: project.dir });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };

  before(async () => {
    // No identity provider, and no authd: the web UI's own sign-in is what is tested.
    project = await startTestGateway({
      services: { notes: 'description: Team notes\nupstream: http://127.0.0.1:9/mcp\n' },
      settingsYaml: 'search:\n  embedder: none\n',
      authd: false,
      web: true,
      apply: true,
    });
    url = project.url;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });
  after(async () => {
    await browser?.close();
    await project?.close();
  });

  test('the page tells a visitor how the operator gets in; /ui/login is an HTML page with a next step', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${url}/ui/`);
      await page.locator('#signin-operator').waitFor({ state: 'visible' });
      assert.match((await page.locator('#signin-operator').textContent()) ?? '', /mcpgw web --link/);
      assert.equal(await page.locator('#signin-link').isVisible(), false, 'no dead "Sign in" button');
      const login = await page.goto(`${url}/ui/login`);
      assert.equal(login?.status(), 503);
      assert.match(login?.headers()['content-type'] ?? '', /^text\/html/);
      assert.equal(await page.locator('h1').textContent(), 'No identity provider is set up');
      assert.match((await page.locator('.next').textContent()) ?? '', /mcpgw web --link/);
      const missing = await page.goto(`${url}/ui/no-such-page`);
      assert.equal(missing?.status(), 404);
      assert.match(missing?.headers()['content-type'] ?? '', /^text\/html/);
    } finally {
      await context.close();
    }
  });

  test('the one-time link signs the operator in (every right), and the same link never works again', async () => {
    const once = await link();
    assert.match(once, new RegExp(`^${url}/ui/signin\\?token=[A-Za-z0-9_-]{40,}$`));
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(once);
      await page.waitForURL(`${url}/ui/`);
      await page.locator('#registry').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#who-subject').textContent(), 'local operator');
      await page.locator('article[data-service="notes"]').waitFor();
      const me = await page.evaluate(async () => (await fetch('/ui/api/me')).json());
      assert.equal(me.operator, true);
      assert.deepEqual([...me.rights].sort(), ['disable', 'enable', 'list', 'register', 'remove']);
    } finally {
      await context.close();
    }
    const second = await browser.newContext();
    try {
      const page = await second.newPage();
      const again = await page.goto(once);
      assert.equal(again?.status(), 403);
      assert.equal(await page.locator('h1').textContent(), 'This sign-in link does not work');
      assert.match((await page.locator('.next').textContent()) ?? '', /mcpgw web --link/);
      // A newer link replaces an unused older one.
      const first = await link();
      const newer = await link();
      assert.equal((await page.goto(first))?.status(), 403);
      await page.goto(newer);
      await page.waitForURL(`${url}/ui/`);
      await page.locator('#registry').waitFor({ state: 'visible' });
    } finally {
      await second.close();
    }
  });
});
