// Three gateway nodes, each a full `mcpgw up --foreground` over one set of files, behind a front
// Caddy hashing on Mcp-Session-Id: shared rate limits hold across nodes (Redis), a definition
// change reaches every node, a stdio session is served by its node wherever its requests land,
// and when a node dies only its in-flight requests fail, while its sessions get a clear 404.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { revokeApiKey } from '../../../src/core/identity/api-keys.js';
import { startModernServer } from '../../../testkit/modern-mcp-server.js';
import { sessionClusterOptions, startCluster } from '../../../testkit/node-cluster.js';
import { startRedis } from '../../../testkit/redis.js';
import { waitForHealth } from '../../../testkit/gateway-node.js';
import { modernCall, openSession, runLoad, untilEveryNode } from '../../../testkit/cluster-load.js';

const echo = async (client: Client, message: string) => {
  const result = (await client.callTool({ name: 'echo', arguments: { message } }, undefined, { timeout: 20_000 })) as { content: { text: string }[] };
  return result.content[0]!.text;
};

test('three nodes behind a front hashing Mcp-Session-Id', { timeout: 900_000 }, async (t) => {
  const upstream = await startModernServer();
  const redis = await startRedis();
  const cluster = await startCluster(sessionClusterOptions(upstream.url, redis.url));
  const sessions: Client[] = [];
  t.after(async () => {
    for (const s of sessions) await s.close().catch(() => {});
    await cluster.close();
    await redis.stop();
    await upstream.close();
  });
  const [n1, n2, n3] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0], typeof cluster.nodes[0]];

  await t.test('a shared rate limit holds across nodes (Redis): 6/min in all, wherever the calls land', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await modernCall(cluster.nodes[i % 3]!.url, cluster.keys.metered!, i)).status);
    assert.equal(statuses.filter((s) => s === 200).length, 6, `statuses: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 429).length, 6);
  });

  await t.test('a definition change converges on every node: a new service, disabling it, a revoked key', async () => {
    const key = cluster.keys.agent!;
    await cluster.writeService('added', `transport: streamable-http\nupstream: ${upstream.url}\nhealth: { enabled: false }\n`);
    await untilEveryNode(cluster.nodes, 'the new service answers', async (n) => (await modernCall(n.url, key, 1, 'added')).status === 200);
    await cluster.writeService('added', `transport: streamable-http\nupstream: ${upstream.url}\nenabled: false\nhealth: { enabled: false }\n`);
    await untilEveryNode(cluster.nodes, 'the service is disabled', async (n) => (await modernCall(n.url, key, 1, 'added')).status === 503);
    assert.equal((await modernCall(n1.url, cluster.keys.revokable!, 1)).status, 200);
    await revokeApiKey(cluster.keysFile, 'revokable');
    await untilEveryNode(cluster.nodes, 'the key is refused', async (n) => (await modernCall(n.url, cluster.keys.revokable!, 1)).status === 401);
  });

  // Sessions of a stdio service: opened through the front until every node owns one.
  const owned = new Map<string, Client[]>();
  await t.test('a stdio session is served by the node that owns it, wherever its requests land', async () => {
    // authd answers with new definitions before its node's Caddy has loaded them, and Caddy 2.6
    // closes open streams on each load: open sessions once every node's Caddy runs the files.
    for (const n of cluster.nodes) await waitForHealth(n.node, '/readyz');
    for (let tries = 0; tries < 30 && owned.size < 3; tries++) {
      const s = await openSession(`${cluster.frontUrl}/stdio-everything/mcp`, cluster.keys.agent!);
      sessions.push(s.client);
      owned.set(s.owner, [...(owned.get(s.owner) ?? []), s.client]);
    }
    assert.deepEqual([...owned.keys()].sort(), ['n1', 'n2', 'n3'], 'each node made sessions named after it');
    for (const [owner, clients] of owned) for (const c of clients) assert.equal(await echo(c, `to ${owner}`), `Echo: to ${owner}`);
    // A request of n1's session sent straight to n2 and n3 is forwarded to n1.
    const s = await openSession(`${n1.url}/stdio-everything/mcp`, cluster.keys.agent!);
    sessions.push(s.client);
    assert.equal(s.owner, 'n1');
    for (const other of [n2, n3]) {
      const res = await fetch(`${other.url}/stdio-everything/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${cluster.keys.agent}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': s.transport.sessionId!, 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'tools/call', params: { name: 'echo', arguments: { message: 'via peer' } } }),
      });
      assert.equal(res.status, 200, `${other.id} forwards n1's session`);
      assert.match(await res.text(), /Echo: via peer/);
    }
  });

  await t.test('a node killed under load: only requests in flight to it fail (at most one per client), session-less calls go on, its sessions get a clear 404', async () => {
    const load = runLoad(cluster.frontUrl, cluster.keys.agent!, { clients: 4 });
    await load.until((r) => r.ok >= 20);
    const killedAt = Date.now();
    await n2.node.kill();
    await load.until((r) => r.okAfter(killedAt) >= 40);
    const report = await load.stop();
    t.diagnostic(`requests: ${report.total}, failed: ${report.failed}, ok after the kill: ${report.okAfter(killedAt)}; failures: ${report.errors.join(' | ')}`);
    assert.ok(report.failed <= 4, `at most the 4 requests in flight can fail, not ${report.failed}: ${report.errors.slice(0, 4).join('; ')}`);
    assert.ok(report.failedAfter(killedAt + 5_000) === 0, 'once the front skips the dead node nothing fails');

    for (const c of owned.get('n2') ?? []) {
      const started = Date.now();
      const err = await echo(c, 'anyone there?').then(
        () => undefined,
        (e: Error & { code?: number }) => e,
      );
      assert.ok(err, 'a session of the dead node cannot be served');
      assert.equal(err.code, 404, `HTTP 404 tells the client to initialize again: ${err.message}`);
      assert.match(err.message, /ERR_SESSION_NODE_GONE|Session not found/, err.message);
      assert.ok(Date.now() - started < 20_000, 'answered, not left hanging');
    }
    for (const owner of ['n1', 'n3']) for (const c of owned.get(owner)!) assert.equal(await echo(c, 'still here'), 'Echo: still here', `${owner}'s sessions go on`);
  });
});
