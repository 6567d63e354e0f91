// Limits shared by two authd nodes through a real Redis, and what authd does when Redis goes
// away: `open` counts on each node alone, `closed` refuses metered calls with 503.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAuthd, type RunningAuthd } from '../../../src/gateway/authd/authd-server.js';
import { checkoutWith } from '../../../testkit/cli.js';
import { eventually } from '../../helpers/eventually.js';
import { startRedis, type RunningRedis } from '../../../testkit/redis.js';
import { callerKeys, limitedScopes } from '../../fixtures/limits/limited-calls.js';

// 20/min with a burst of 10: 10 calls per 30 s window, for each caller, across every node.
const SCOPES = limitedScopes({ counted: '{ rate: 20/min, burst: 10 }' });

async function node(root: string): Promise<RunningAuthd> {
  const authd = await startAuthd({ root, listen: '127.0.0.1:0', log: () => {} });
  await eventually(async () => {
    const health = (await (await fetch(`${authd.url}/healthz`)).json()) as { limits: { store: string; connection: string } };
    assert.deepEqual([health.limits.store, health.limits.connection], ['redis', 'ready']);
  });
  return authd;
}

/** What authd answers Caddy's forward_auth subrequest for one tools/call (status and Retry-After). */
async function verify(authd: RunningAuthd, key: string, tool: string): Promise<{ status: number; retryAfter: string | null; code?: string }> {
  const res = await fetch(`${authd.url}/verify`, {
    headers: { authorization: `Bearer ${key}`, 'x-mcpgw-service': 'echo', 'x-mcpgw-body': JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool } }) },
    // Redis gone must not stall authd: a hung answer fails the test (not a timing figure).
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json().catch(() => ({}))) as { error?: { data?: { code?: string } } };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.error?.data?.code };
}

async function checkout(redisUrl: string, onUnavailable: 'open' | 'closed') {
  const project = await checkoutWith({
    // A generous command timeout: on a loaded machine a slow answer would count as Redis gone
    // (open: this node alone) — that is the documented behaviour, but not what this test is about.
    'mcpgw.yaml': `limits:\n  redis: { url: "${redisUrl}", on_unavailable: ${onUnavailable}, key_prefix: "test-${onUnavailable}", command_timeout: 2s }\n`,
    'registry.d/echo.yaml': 'name: echo\nupstream: http://127.0.0.1:9/mcp\n',
    'scopes.yml': SCOPES,
  });
  return { ...project, keys: await callerKeys(project.dir, ['alice', 'bob']) };
}

describe('limits shared through Redis by two authd nodes', () => {
  let redis: RunningRedis;
  let open: Awaited<ReturnType<typeof checkout>>;
  let closed: Awaited<ReturnType<typeof checkout>>;
  const nodes: RunningAuthd[] = [];

  before(async () => {
    redis = await startRedis();
    open = await checkout(redis.url, 'open');
    closed = await checkout(redis.url, 'closed');
    for (const root of [open.dir, open.dir, closed.dir]) nodes.push(await node(root));
  });
  after(async () => {
    for (const n of nodes) await n.close();
    await redis?.stop();
    await open?.cleanup();
    await closed?.cleanup();
  });

  test('the limit holds across both nodes: calls spread over them are allowed no more than the window allows', async () => {
    const [a, b] = nodes as [RunningAuthd, RunningAuthd];
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => verify(i % 2 ? a : b, open.keys.alice!, 'counted')));
    const allowed = answers.filter((r) => r.status === 200).length;
    assert.equal(allowed, 10, `allowed ${allowed} of 30 (one window holds 10, shared by both nodes)`);
    assert.ok(answers.filter((r) => r.status === 429).every((r) => Number(r.retryAfter) >= 1));
    // Both nodes see the spent budget, for this caller only.
    assert.equal((await verify(a, open.keys.alice!, 'counted')).status, 429);
    assert.equal((await verify(b, open.keys.alice!, 'counted')).status, 429);
    assert.equal((await verify(b, open.keys.bob!, 'counted')).status, 200);
  });

  test('Redis stopped: authd still answers; open counts on each node alone, closed refuses metered calls with 503 and Retry-After', async () => {
    await redis.stop();
    const [a, b, c] = nodes as [RunningAuthd, RunningAuthd, RunningAuthd];
    await eventually(async () => assert.equal((await verify(c, closed.keys.alice!, 'counted')).code, 'ERR_LIMITS_UNAVAILABLE'));
    const refused = await verify(c, closed.keys.alice!, 'counted');
    assert.deepEqual([refused.status, refused.retryAfter], [503, '1']);
    assert.equal((await verify(c, closed.keys.alice!, 'unlimited')).status, 200, 'a call no limit counts needs no counter');

    // open: each node's own counter (a fresh caller, so the window starts here): 10 per node at most.
    const perNode = await Promise.all([a, b].map(async (n) => (await Promise.all(Array.from({ length: 12 }, () => verify(n, open.keys.bob!, 'counted')))).filter((r) => r.status === 200).length));
    assert.deepEqual(perNode, [10, 10], "each node allows its own window's 10, no more");
  });
});
