// The registry service every front door uses, against a real Caddy and authd: a change is
// applied and authd runs it before the call returns (the next request sees it), also in the
// "after the answer" mode; names and texts are all checked before anything is written.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RegistryService } from '../../../src/control/registry/registry-service.js';
import { LOCAL_OPERATOR } from '../../../src/core/policy/registry-access.js';
import type { ApplyOutcome } from '../../../src/control/registry/serialized-apply.js';
import { startEverything, type RunningServer } from '../../../testkit/mcp-servers.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';

async function status(url: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
  });
  await res.body?.cancel();
  return res.status;
}

describe('the registry service against a running gateway', () => {
  let gw: TestGateway;
  let everything: RunningServer;
  let registry: RegistryService;

  before(async () => {
    everything = await startEverything('streamableHttp');
    gw = await startTestGateway();
    await gw.writeService('echo', `upstream: ${everything.url}\nauth: none\n`);
    await gw.writeService('other', `upstream: ${everything.url}\nauth: none\n`);
    registry = await RegistryService.open(gw.dir);
    // The service's own apply: routes pushed, and authd (started before the files) runs them.
    const applied = await registry.apply();
    assert.deepEqual([applied.applied, applied.authd], [true, 'current'], applied.message);
  });
  after(async () => {
    await registry?.close();
    await gw?.close();
    await everything?.stop();
  });

  test('a change returns once Caddy and authd run it: the very next request sees it', async () => {
    assert.equal(await status(`${gw.url}/echo/mcp`), 200);
    const outcome = await registry.setEnabled(LOCAL_OPERATOR, ['echo'], false);
    assert.deepEqual(outcome.changes.map((c) => [c.service, c.changed]), [['echo', true]]);
    assert.equal(outcome.gateway.applied, true, outcome.gateway.message);
    assert.equal(outcome.gateway.authd, 'current');
    assert.equal(await status(`${gw.url}/echo/mcp`), 503, 'no waiting: disabled at once');
  });

  test('"after the answer": the apply waits for the answer, then runs and reports the same way', async () => {
    const outcomes: ApplyOutcome[] = [];
    const heard = new Promise<void>((resolve) => registry.onAfterAnswerApply((o) => (outcomes.push(o), resolve())));
    let answered!: () => void;
    const answer = new Promise<void>((resolve) => (answered = resolve));
    const outcome = await registry.setEnabled(LOCAL_OPERATOR, ['echo'], true, { apply: { after: answer } });
    assert.equal(outcome.gateway.applied, 'after-answer');
    await new Promise((r) => setImmediate(r));
    assert.equal(outcomes.length, 0, 'nothing applied before the answer left');
    answered();
    await heard;
    assert.equal(outcomes[0]!.applied, true, outcomes[0]!.message);
    assert.equal(outcomes[0]!.authd, 'current');
    assert.equal(await status(`${gw.url}/echo/mcp`), 200);
  });

  test('`disable other nope` writes nothing: every name is checked before any file is written', async () => {
    const before = await readFile(join(gw.dir, 'registry.d', 'other.yaml'), 'utf8');
    await assert.rejects(registry.setEnabled(LOCAL_OPERATOR, ['other', 'nope'], false), { code: 'ERR_SERVICE_NOT_FOUND', message: /"nope"/ });
    assert.equal(await readFile(join(gw.dir, 'registry.d', 'other.yaml'), 'utf8'), before);
    assert.equal(await status(`${gw.url}/other/mcp`), 200);
  });

  test('registering several definitions writes all or none: one invalid text refuses the whole change', async () => {
    const good = { fields: { name: 'good', upstream: everything.url } };
    const bad = { fields: { name: 'bad', upstream: 'ftp://nowhere' } };
    await assert.rejects(registry.register(LOCAL_OPERATOR, [good, bad]), { code: 'ERR_CONFIG_INVALID', message: /registry.d\/bad.yaml:\d+:\d+ upstream/ });
    const clash = { fields: { name: 'shadow', path: '/echo', upstream: everything.url } };
    await assert.rejects(registry.register(LOCAL_OPERATOR, [good, clash]), { code: 'ERR_CONFIG_INVALID', message: /"\/echo" is already used/ });
    assert.deepEqual((await readdir(join(gw.dir, 'registry.d'))).sort(), ['echo.yaml', 'other.yaml']);
  });

  test('the project is read once and followed: no file is read per call, an outside edit arrives by the watcher', async () => {
    const seen = registry.project;
    assert.equal(registry.project, seen);
    assert.equal(registry.visibleServices(LOCAL_OPERATOR).length, 2);
    assert.equal(registry.project, seen, 'asking again reads nothing');
    await gw.writeService('third', `upstream: ${everything.url}\n`);
    const changed = await new Promise<string[]>((resolve) => {
      const stop = registry.onChange((p) => (stop(), resolve(p.services.map((s) => s.name))));
    });
    assert.deepEqual(changed, ['echo', 'other', 'third']);
  });
});
