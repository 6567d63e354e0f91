// Acceptance of the web UI, tried as people would: a real browser (Debian chromium) signs in at
// a real OpenID provider and uses the UI through a real Caddy in front of server-everything.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadProject } from '../../../src/core/config/project.js';
import { probeServices } from '../../../src/control/probe/probe-run.js';
import { routeStatus, routeStatusBecomes, startWebGateway, type WebGateway } from './web-fixture.js';
import { callTools } from '../../fixtures/limits/limited-calls.js';

describe('web UI in a browser (real chromium, oidc-provider, Caddy, authd, server-everything)', () => {
  let gw: WebGateway;

  before(async () => {
    gw = await startWebGateway();
    // A second service whose upstream does not answer: it shows up under "Issues".
    await writeFile(join(gw.dir, 'registry.d', 'notes.yaml'), 'name: notes\ndescription: Team notes (its server is down)\ntags: [notes, demo]\nupstream: http://127.0.0.1:9/mcp\n');
  });
  after(async () => {
    await gw?.close();
  });

  test('an admin signs in through the provider and sees the services, with health, latency and tool counts arriving live', async () => {
    const { context, page } = await gw.signIn('ada');
    try {
      const card = page.locator('article[data-service="everything"]');
      await card.waitFor();
      assert.equal(await card.locator('[data-field="status"]').textContent(), 'not checked yet');
      assert.equal(await page.locator('#who-subject').textContent(), 'ada');
      // The prober records a round; the open page must show it without a reload.
      const project = await loadProject(gw.dir);
      await probeServices(project, project.services.filter((s) => s.enabled));
      await card.locator('[data-field="status"]', { hasText: 'healthy' }).waitFor();
      assert.match((await card.locator('[data-field="tools"]').textContent()) ?? '', /^\d+$/);
      assert.match((await card.locator('[data-field="latency"]').textContent()) ?? '', /^\d+ ms$/);
      assert.match((await card.locator('[data-field="checked"]').textContent()) ?? '', /ago/);
      assert.equal(await page.locator('#stat-services').textContent(), '2');
      assert.equal(await page.locator('#stat-healthy').textContent(), '1');
      await page.locator('article[data-service="notes"] [data-field="status"]', { hasText: 'unhealthy' }).waitFor();
      await gw.screenshot(page, 'services-light');
      await page.getByRole('button', { name: 'Issues' }).click();
      await page.locator('article[data-service="everything"]').waitFor({ state: 'detached' });
      assert.equal(await page.locator('article[data-service="notes"]').count(), 1);
      await page.getByRole('button', { name: 'All' }).click();
      await page.getByLabel('Filter services').fill('demo');
      assert.deepEqual(await page.locator('article.card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.service)), ['notes']);
    } finally {
      await context.close();
    }
  });

  test("the tools dialog lists a service's tools with descriptions, a collapsible input schema and search", async () => {
    const { context, page } = await gw.signIn('ada');
    try {
      await page.getByRole('button', { name: 'Tools of everything' }).click();
      const dialog = page.getByRole('dialog', { name: 'Tools of everything' });
      await dialog.waitFor();
      const echo = dialog.locator('details.tool[data-tool="echo"]');
      await echo.locator(':scope > summary').click();
      assert.match((await echo.locator('.tool-desc').textContent()) ?? '', /echo/i);
      assert.match((await echo.locator('.schema').textContent()) ?? '', /message/);
      await gw.screenshot(page, 'tools-dialog');
      await dialog.getByLabel("Search this service's tools").fill('sum');
      await dialog.locator('details.tool').first().and(dialog.locator('[data-tool="get-sum"]')).waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
    } finally {
      await context.close();
    }
  });

  test('disabling a service in the UI stops its route through Caddy; enabling it brings it back', async () => {
    const token = await gw.token('ada');
    assert.equal(await routeStatus(gw.url, token), 200, 'the route answers before');
    const { context, page } = await gw.signIn('ada');
    try {
      const toggle = page.getByRole('switch', { name: 'Enabled: everything' });
      await toggle.click();
      // The card's state, not the toast: a gateway notice may replace the toast at once.
      await page.locator('article.card.off[data-service="everything"]').waitFor();
      assert.equal(await routeStatusBecomes(gw.url, token, 503), 503, 'Caddy answers service_disabled');
      assert.match(await readFile(join(gw.dir, 'registry.d', 'everything.yaml'), 'utf8'), /enabled: false/);
      await page.locator('article.card.off[data-service="everything"]').waitFor();
      await gw.screenshot(page, 'service-disabled');
      await toggle.click();
      await page.locator('article.card:not(.off)[data-service="everything"]').waitFor();
      assert.equal(await toggle.isChecked(), true);
      assert.equal(await routeStatusBecomes(gw.url, token, 200), 200, 'the route answers again');
    } finally {
      await context.close();
    }
  });

  test('an admin edits a description and tags, and registers a new service, in the dialog; registry.d changes and the page updates', async () => {
    const { context, page } = await gw.signIn('ada');
    try {
      await page.getByRole('button', { name: 'Edit notes' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit notes' });
      await dialog.getByLabel('Description').fill('Team notes, moved');
      await dialog.getByLabel('Tags').fill('notes, archive');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.locator('article[data-service="notes"] .desc', { hasText: 'Team notes, moved' }).waitFor();
      const file = await readFile(join(gw.dir, 'registry.d', 'notes.yaml'), 'utf8');
      assert.match(file, /description: Team notes, moved/);
      assert.match(file, /archive/);
      await page.getByRole('button', { name: 'Register service' }).click();
      const form = page.getByRole('dialog', { name: 'Register a service' });
      await form.getByLabel('Name').fill('echo-two');
      await form.getByLabel('Description').fill('A second way to server-everything');
      const everythingUpstream = /upstream: (\S+)/.exec(await readFile(join(gw.dir, 'registry.d', 'everything.yaml'), 'utf8'))![1]!;
      await form.getByLabel('Upstream URL').fill(everythingUpstream);
      await gw.screenshot(page, 'register-dialog');
      await form.getByRole('button', { name: 'Save' }).click();
      await page.locator('article[data-service="echo-two"]').waitFor();
      assert.match(await readFile(join(gw.dir, 'registry.d', 'echo-two.yaml'), 'utf8'), /name: echo-two[\s\S]*upstream: http:\/\/127\.0\.0\.1:\d+\/mcp/);
    } finally {
      await context.close();
    }
  });

  test('a developer cannot toggle: the switch is disabled and a forged request is refused by the server', async () => {
    const definition = await readFile(join(gw.dir, 'registry.d', 'everything.yaml'), 'utf8');
    const { context, page } = await gw.signIn('dev');
    try {
      const toggle = page.getByRole('switch', { name: 'Enabled: everything' });
      assert.equal(await toggle.isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'Edit everything' }).isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'Check everything now' }).isDisabled(), true, 'probing needs the register right, not only seeing the service');
      assert.equal(await page.locator('#register').isHidden(), true);
      await gw.screenshot(page, 'developer-view');
      // Forge what the page would send, with the developer's own valid session and CSRF token.
      const forged = await page.evaluate(async () => {
        const me = await (await fetch('/ui/api/me')).json();
        const res = await fetch('/ui/api/services/everything/disable', { method: 'POST', headers: { 'x-csrf-token': me.csrf, 'content-type': 'application/json' }, body: '{}' });
        return { status: res.status, body: await res.json() };
      });
      assert.equal(forged.status, 403);
      assert.equal(forged.body.error, 'ERR_RIGHT_MISSING');
      const refresh = await page.evaluate(async () => {
        const me = await (await fetch('/ui/api/me')).json();
        return (await fetch('/ui/api/services/everything/refresh', { method: 'POST', headers: { 'x-csrf-token': me.csrf, 'content-type': 'application/json' }, body: '{}' })).status;
      });
      assert.equal(refresh, 403, 'the server refuses a forged refresh too');
      assert.equal(await readFile(join(gw.dir, 'registry.d', 'everything.yaml'), 'utf8'), definition, 'registry.d is unchanged');
    } finally {
      await context.close();
    }
  });

  test('a person with plain `register` cannot point a service at an inside address, registering or editing (the registration policy)', async () => {
    // registrars: registry [list, register] — public upstream hosts, no secrets, no commands.
    // Added to the fixture's scopes.yml as it is (its limits stay for the later tests).
    const scopes = await readFile(join(gw.dir, 'scopes.yml'), 'utf8');
    await writeFile(join(gw.dir, 'scopes.yml'), `${scopes.replace('groups:\n', 'groups:\n  registrars: [registrar]\n').trimEnd()}\n  registrar:\n    registry: [list, register]\n`);
    const notes = await readFile(join(gw.dir, 'registry.d', 'notes.yaml'), 'utf8');
    const { context } = await gw.signIn('rita');
    try {
      const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const csrf = (await (await fetch(`${gw.url}/ui/api/me`, { headers: { cookie } })).json()).csrf as string;
      const post = (path: string, body: unknown) => fetch(`${gw.url}/ui/api${path}`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const registered = await post('/services', { name: 'inside', upstream: 'http://127.0.0.1:9/mcp' });
      assert.equal(registered.status, 403);
      const body = (await registered.json()) as { error: string; details: { problems: { code: string }[] } };
      assert.equal(body.error, 'ERR_REGISTRATION_REFUSED');
      assert.deepEqual(body.details.problems.map((d) => d.code), ['E_UPSTREAM_NOT_ALLOWED']);
      const edited = await post('/services/notes', { upstream: 'http://169.254.169.254/latest/meta-data' });
      assert.equal(edited.status, 403, await edited.clone().text());
      assert.equal(((await edited.json()) as { error: string }).error, 'ERR_REGISTRATION_REFUSED');
    } finally {
      await context.close();
    }
    assert.equal(await readFile(join(gw.dir, 'registry.d', 'notes.yaml'), 'utf8'), notes, 'notes.yaml is unchanged');
    await assert.rejects(readFile(join(gw.dir, 'registry.d', 'inside.yaml')), 'inside.yaml was not written');
  });

  test('a change without the CSRF token, or from another origin, is refused even with a valid session cookie', async () => {
    const { context } = await gw.signIn('ada');
    try {
      const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const send = (headers: Record<string, string>) => fetch(`${gw.url}/ui/api/services/notes/disable`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: '{}' });
      const noToken = await send({});
      assert.equal(noToken.status, 403);
      assert.equal((await noToken.json()).error, 'ERR_CSRF');
      const csrf = (await (await fetch(`${gw.url}/ui/api/me`, { headers: { cookie } })).json()).csrf as string;
      assert.equal((await send({ 'x-csrf-token': csrf, origin: 'https://evil.example' })).status, 403);
      assert.doesNotMatch(await readFile(join(gw.dir, 'registry.d', 'notes.yaml'), 'utf8'), /enabled: false/);
    } finally {
      await context.close();
    }
  });

  test('the live channel and the API refuse a client without a session', async () => {
    for (const cookie of [undefined, 'mcpgw_session=forged-session-id']) {
      const res = await fetch(`${gw.url}/ui/api/events`, { headers: cookie ? { cookie } : {} });
      assert.equal(res.status, 401);
      assert.notEqual(res.headers.get('content-type'), 'text/event-stream');
      assert.equal((await res.json()).error, 'ERR_NOT_SIGNED_IN');
    }
    assert.equal((await fetch(`${gw.url}/ui/api/services`)).status, 401);
  });

  test('the session cookie is HttpOnly, Secure and SameSite=Lax', async () => {
    const { context } = await gw.signIn('dev');
    try {
      const session = (await context.cookies()).find((c) => c.name === 'mcpgw_session');
      assert.ok(session);
      assert.deepEqual([session.httpOnly, session.secure, session.sameSite, session.path], [true, true, 'Lax', '/ui']);
    } finally {
      await context.close();
    }
  });

  test('a developer sees their echo limit under "Your limits"; after calls through the gateway, Refresh shows what is left', async () => {
    const { context, page } = await gw.signIn('dev');
    try {
      const row = page.locator('#limits tr[data-limit="scope everyday on everything, tool echo"]');
      await row.waitFor();
      assert.deepEqual(await row.locator('td').allTextContents().then((cells) => cells.slice(0, 2)), ['1000/min', 'you']);
      assert.match((await page.locator('#limits-note').textContent()) ?? '', /Counted by this gateway node/);
      const left = Number(/^(\d+) of 1000$/.exec((await row.locator('.limit-left').textContent()) ?? '')?.[1]);
      for (let i = 0; i < 3; i++) await callTools(`${gw.url}/everything/mcp`, await gw.token('dev'), 'echo');
      await page.getByRole('button', { name: 'Refresh limits' }).click();
      await row.locator('.limit-left', { hasText: `${left - 3} of 1000` }).waitFor();
      await gw.screenshot(page, 'limits-panel');
    } finally {
      await context.close();
    }
  });

  test('the activity panel draws a sparkline per service (calls per hour of the last day) and lists the most called tools', async () => {
    for (let i = 0; i < 2; i++) await callTools(`${gw.url}/everything/mcp`, await gw.token('dev'), 'echo');
    const { context, page } = await gw.signIn('ada');
    try {
      const row = page.locator('#activity-services li[data-service="everything"]');
      await row.waitFor();
      assert.equal(await row.locator('svg.sparkline polyline.calls').count(), 1);
      const points = (await row.locator('polyline.calls').getAttribute('points')) ?? '';
      assert.equal(points.split(' ').length, 24, 'one point per hour');
      assert.match((await row.locator('[data-field="total"]').textContent()) ?? '', /^\d+ calls$/);
      assert.match((await row.locator('svg.sparkline').getAttribute('aria-label')) ?? '', /^everything: \d+ calls, \d+ denied in the last 24 hours$/);
      await page.locator('#activity-tools li[data-tool="everything/echo"]').waitFor();
      await gw.screenshot(page, 'activity-panel');
    } finally {
      await context.close();
    }
  });

  test('the theme and the folded sidebar are remembered across a reload', async () => {
    const { context, page } = await gw.signIn('ada');
    try {
      const before = await page.evaluate(() => document.documentElement.dataset.theme);
      await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
      const chosen = before === 'dark' ? 'light' : 'dark';
      await page.getByRole('button', { name: 'Collapse sidebar' }).click();
      await page.reload();
      await page.locator('article[data-service="everything"]').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), chosen);
      assert.equal(await page.getByRole('button', { name: 'Expand sidebar' }).getAttribute('aria-expanded'), 'false');
      if (chosen === 'light') await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await gw.screenshot(page, 'services-dark-folded');
    } finally {
      await context.close();
    }
  });

  test('on a narrow screen the services fit the width without sideways scrolling', async () => {
    const { context, page } = await gw.signIn('ada', { width: 390, height: 844 });
    try {
      await page.locator('article[data-service="everything"]').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
      await gw.screenshot(page, 'services-narrow');
    } finally {
      await context.close();
    }
  });
});
