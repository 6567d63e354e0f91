// Rate limits through the real gateway: Caddy → authd (limits) → an upstream that counts what
// reaches it. Callers are API keys verified by authd; counters are authd's own (no Redis).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateLayout } from '../../../src/core/state/layout.js';
import { runCli } from '../../../testkit/cli.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startHeaderEcho } from '../../../testkit/header-echo.js';
import { callerKeys, callTools, limitedScopes } from '../../fixtures/limits/limited-calls.js';

const SCOPES = limitedScopes({ slow: '{ rate: 2/3s }', batchy: '{ rate: 3/min }' }, '      leased:\n        tools: ["*"]\n');

describe('rate limits through Caddy and authd', () => {
  let gw: TestGateway;
  let upstream: Awaited<ReturnType<typeof startHeaderEcho>>;
  let keys: Record<string, string>;
  let echo: string;

  before(async () => {
    gw = await startTestGateway({ authd: false });
    upstream = await startHeaderEcho();
    await gw.writeService('echo', `upstream: ${upstream.url}\nlimits:\n  tools:\n    shared: { rate: 2/min }\n`);
    await gw.writeService('leased', `upstream: ${upstream.url}\nlimits:\n  concurrent_per_caller: 1\n  lease: 60s\n`);
    await writeFile(join(gw.dir, 'scopes.yml'), SCOPES);
    keys = await callerKeys(gw.dir, ['alice', 'bob']);
    const applied = await gw.cli('apply');
    assert.equal(applied.code, 0, applied.stderr);
    await gw.startAuthd();
    echo = `${gw.url}/echo/mcp`;
  });
  after(async () => {
    await upstream?.close();
    await gw?.close();
  });

  test('over a per-tool limit: 429 with Retry-After and a JSON-RPC error naming the limit; the upstream is not reached; other tools and callers go on', async () => {
    assert.equal((await callTools(echo, keys.alice!, 'slow')).status, 200);
    assert.equal((await callTools(echo, keys.alice!, 'slow')).status, 200);
    const reached = upstream.count();
    const refused = await callTools(echo, keys.alice!, 'slow');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.retryAfter) >= 1 && Number(refused.retryAfter) <= 3, `Retry-After ${refused.retryAfter}`);
    assert.equal(refused.body.error?.code, -32004);
    assert.match(refused.body.error!.message, /limit "scope dev on echo, tool slow" \(2\/3s\)/);
    assert.equal(refused.body.error?.data?.code, 'ERR_RATE_LIMITED');
    assert.equal(refused.body.error?.data?.retry_after_s, Number(refused.retryAfter));
    assert.equal(typeof refused.body.id, 'number', 'the error answers the call by its id');
    assert.equal(upstream.count(), reached, 'a refused call never reaches the upstream');
    assert.equal((await callTools(echo, keys.alice!, 'other')).status, 200, 'another tool of the same caller');
    assert.equal((await callTools(echo, keys.bob!, 'slow')).status, 200, 'the same tool for another caller');
  });

  test('the window refills: after Retry-After the tool answers again', async () => {
    const refused = await callTools(echo, keys.alice!, 'slow');
    if (refused.status === 429) await new Promise((r) => setTimeout(r, Number(refused.retryAfter) * 1000));
    await eventually(async () => assert.equal((await callTools(echo, keys.alice!, 'slow')).status, 200), 10_000, 250);
  });

  test('a batch counts each call: one over the limit is refused whole and counts nothing; one that fits passes', async () => {
    const reached = upstream.count();
    const over = await callTools(echo, keys.alice!, ['batchy', 'batchy', 'batchy', 'batchy']);
    assert.equal(over.status, 429);
    assert.equal(over.body.id, null);
    assert.match(over.body.error!.message, /the batch of 4 calls exceeds limit "scope dev on echo, tool batchy" \(3\/min\).*refused as a whole/);
    assert.equal(upstream.count(), reached);
    assert.equal((await callTools(echo, keys.alice!, ['batchy', 'batchy', 'batchy'])).status, 200, 'the refused batch spent nothing');
    assert.equal((await callTools(echo, keys.alice!, 'batchy')).status, 429);
  });

  test('a service limit is shared by every caller', async () => {
    assert.equal((await callTools(echo, keys.alice!, 'shared')).status, 200);
    assert.equal((await callTools(echo, keys.bob!, 'shared')).status, 200);
    const refused = await callTools(echo, keys.bob!, 'shared');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error?.data?.limit, 'service echo, tool shared');
    assert.equal(refused.body.error?.data?.per, 'service');
  });

  test('the concurrency cap admits one tools/call per caller per lease; other callers have their own', async () => {
    const leased = `${gw.url}/leased/mcp`;
    assert.equal((await callTools(leased, keys.alice!, 'work')).status, 200);
    const refused = await callTools(leased, keys.alice!, 'work');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error?.data?.kind, 'concurrency');
    assert.equal((await callTools(leased, keys.bob!, 'work')).status, 200);
  });

  test('a caller reads their limits and what is left at <gateway>/mcpgw/limits; no token, no answer', async () => {
    const res = await fetch(`${gw.url}/mcpgw/limits`, { headers: { authorization: `Bearer ${keys.bob}` } });
    assert.equal(res.status, 200);
    const report = (await res.json()) as { subject: string; counters: { store: string }; limits: { name: string; remaining: number; limit: number }[] };
    assert.equal(report.subject, 'api-key:bob');
    assert.equal(report.counters.store, 'memory');
    const shared = report.limits.find((l) => l.name === 'service echo, tool shared')!;
    assert.deepEqual([shared.limit, shared.remaining], [2, 0]);
    const batchy = report.limits.find((l) => l.name === 'scope dev on echo, tool batchy')!;
    assert.deepEqual([batchy.limit, batchy.remaining], [3, 3], "bob's own budget is untouched by alice's calls");
    assert.equal((await fetch(`${gw.url}/mcpgw/limits`)).status, 401);
  });

  test('mcpgw whoami shows the caller\'s limits and what is left, counted by the gateway', async (t) => {
    // A stored credential whose access token is bob's API key (no expiry, so never renewed).
    const configDir = await mkdtemp(join(tmpdir(), 'mcpgw-whoami-'));
    t.after(() => rm(configDir, { recursive: true, force: true }));
    const credential = { kind: 'client-credentials', issuer: 'api-key', client_id: 'bob', resource: gw.url, access_token: keys.bob, obtained_at: new Date().toISOString() };
    await writeFile(join(configDir, 'credentials.json'), JSON.stringify({ gateways: { [gw.url]: credential } }), { mode: 0o600 });
    const env = { MCPGW_CONFIG_DIR: configDir };
    const json = await runCli(['whoami', '--json'], { cwd: gw.dir, env });
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout).data as { limits: { live: boolean; limits: { name: string; remaining: number | null; resetsInS: number | null }[] } };
    assert.equal(report.limits.live, true);
    const shared = report.limits.limits.find((l) => l.name === 'service echo, tool shared');
    assert.equal(shared?.remaining, 0);
    assert.ok((shared?.resetsInS ?? 0) > 0, 'the spent window says when it refills');
    const text = await runCli(['whoami'], { cwd: gw.dir, env });
    assert.match(text.stdout, /LIMIT\s+DECLARED\s+PER\s+LEFT/);
    assert.match(text.stdout, /scope dev on echo, tool batchy\s+3\/min\s+you\s+3\/3/);
  });

  test('the audit log records each refused call as rate_limited with the limit it hit', async () => {
    const lines = (await readFile(stateLayout(join(gw.dir, '.mcpgw')).auditLog, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const limited = lines.filter((l) => l.status === 429);
    assert.ok(limited.length >= 4);
    assert.ok(limited.every((l) => l.decision === 'deny' && l.reason === 'rate_limited' && typeof l.limit === 'string'));
    assert.equal(limited.filter((l) => l.limit === 'scope dev on echo, tool batchy' && l.identity.subject === 'api-key:alice').length, 5, 'the refused batch of 4 and the single call');
  });
});
