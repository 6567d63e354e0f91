// Legacy SSE (2024-11-05: GET <service>/sse, then POST <service>/messages?sessionId=…) sessions of
// a stdio service across two gateway nodes behind a front Caddy: the session id names the node
// that holds the stream, a message POST that lands on the other node is forwarded there, a dead
// node's session gets a 404 JSON-RPC error at once, and `apply --dry-run` on each node is in sync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { frontConfig, startCluster, type Cluster, type ClusterNode } from '../../../testkit/node-cluster.js';
import { waitForHealth } from '../../../testkit/gateway-node.js';
import { EVERYTHING_BIN } from '../../../testkit/mcp-servers.js';
import { runCli } from '../../../testkit/cli.js';
import { CaddyAdminClient } from '../../../src/control/caddy/admin-client.js';

const SERVICE = 'stdio-everything';

interface SseSession {
  client: Client;
  /** `<node>.<uuid>`, from the endpoint event. */
  sessionId: string;
  owner: string;
}

/**
 * A real SDK SSE client: its stream from `streamUrl`; with `postsTo`, every message POST goes to
 * that origin instead (the front may send a POST to any node).
 */
async function openSse(streamUrl: string, key: string, postsTo?: string): Promise<SseSession> {
  const client = new Client({ name: 'legacy-sse-nodes', version: '1' });
  const fetchPosts: typeof fetch = (url, init) => {
    if (!postsTo || init?.method !== 'POST') return fetch(url, init);
    const moved = new URL(String(url));
    const to = new URL(postsTo);
    moved.host = to.host;
    return fetch(moved, init);
  };
  const transport = new SSEClientTransport(new URL(`${streamUrl}/${SERVICE}/sse`), { requestInit: { headers: { authorization: `Bearer ${key}` } }, fetch: fetchPosts, eventSourceInit: { fetch } });
  await client.connect(transport, { timeout: 30_000 });
  // The SDK keeps the endpoint the server's first event named (…/messages?sessionId=<node>.<uuid>).
  const endpoint = (transport as unknown as { _endpoint?: URL })._endpoint;
  const sessionId = endpoint?.searchParams.get('sessionId') ?? '';
  return { client, sessionId, owner: sessionId.split('.')[0]! };
}

const echo = async (client: Client, message: string) => {
  const result = (await client.callTool({ name: 'echo', arguments: { message } }, undefined, { timeout: 20_000 })) as { content: { text: string }[] };
  return result.content[0]!.text;
};

/** A raw legacy SSE message POST for `sessionId` at `gatewayUrl`. */
async function postMessage(gatewayUrl: string, key: string, sessionId: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${gatewayUrl}/${SERVICE}/messages?sessionId=${encodeURIComponent(sessionId)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} }),
    // A hang fails here, with what it waited for.
    signal: AbortSignal.timeout(20_000),
  }).catch((err: Error) => {
    throw new Error(`POST for session ${sessionId} at ${gatewayUrl} got no answer: ${err.message}`);
  });
  return { status: res.status, text: await res.text() };
}

/**
 * The front for legacy SSE: the cluster's front without retries. Caddy 2.6 retries a POST whose
 * dial failed with the body the failed attempt closed ("invalid Read on closed Body" on the
 * healthy node), and its passive health check then takes the healthy node out as well. Without
 * retries the one request that finds the node dead fails, and the node is out for fail_duration.
 */
async function frontForLegacySse(cluster: Cluster): Promise<void> {
  const listen = new URL(cluster.frontUrl).host;
  const apps = frontConfig(listen, cluster.nodes.map((n) => new URL(n.url).host)) as { http: { servers: { front: { routes: { handle: Record<string, unknown>[] }[] } } } };
  const proxy = apps.http.servers.front.routes[0]!.handle.find((h) => h.handler === 'reverse_proxy')!;
  proxy.load_balancing = { selection_policy: { policy: 'random' } };
  proxy.health_checks = { passive: { fail_duration: '10m', max_fails: 1 } };
  // Caddy restarts its admin server after the cluster's own load of the front, resetting
  // connections: a conditional push, which the client resends when its connection broke.
  const admin = new CaddyAdminClient(cluster.front.admin);
  const { etag } = await admin.getConfig();
  await admin.putConfig({ admin: { listen: cluster.front.admin, config: { persist: false } }, apps } as never, etag);
}

/** The front's failure count of `node` (Caddy's admin API: /reverse_proxy/upstreams). */
async function frontFails(cluster: Cluster, node: ClusterNode): Promise<number> {
  const res = await fetch(`http://${cluster.front.admin}/reverse_proxy/upstreams`, { signal: AbortSignal.timeout(10_000) });
  const upstreams = (await res.json()) as { address: string; fails: number }[];
  return upstreams.find((u) => u.address === new URL(node.url).host)?.fails ?? 0;
}

test('legacy SSE sessions of a stdio service across two nodes behind a front', { timeout: 600_000 }, async (t) => {
  const cluster = await startCluster({
    count: 2,
    services: { [SERVICE]: `command:\n  run: [${JSON.stringify(process.execPath)}, ${JSON.stringify(EVERYTHING_BIN)}, stdio]\nhealth: { enabled: false }\n` },
    scopes: 'groups:\n  agents: [tools]\nscopes:\n  tools:\n    servers:\n      "*": { tools: ["*"] }\n',
    apiKeys: { agent: ['agents'] },
    settingsYaml: 'search: { embedder: none }\n',
  });
  const open: Client[] = [];
  t.after(async () => {
    for (const c of open) await c.close().catch(() => {});
    await cluster.close();
  });
  const key = cluster.keys.agent!;
  const [n1, n2] = cluster.nodes as [ClusterNode, ClusterNode];
  await frontForLegacySse(cluster);
  // Caddy 2.6 closes open streams on each config load, and authd converges before its Caddy
  // loads: open streams once every node's /readyz says its Caddy runs the files.
  for (const n of cluster.nodes) await waitForHealth(n.node, '/readyz');

  const byOwner = new Map<string, SseSession[]>();
  await t.test('an SDK SSE client through the front: its session names its node, and its calls are served wherever the POSTs land', async () => {
    for (let tries = 0; tries < 30 && byOwner.size < 2; tries++) {
      const s = await openSse(cluster.frontUrl, key);
      open.push(s.client);
      byOwner.set(s.owner, [...(byOwner.get(s.owner) ?? []), s]);
    }
    assert.deepEqual([...byOwner.keys()].sort(), ['n1', 'n2'], 'each node made sessions named after it');
    for (const [owner, sessions] of byOwner) {
      for (const s of sessions) {
        assert.match(s.sessionId, new RegExp(`^${owner}\\.[0-9a-f-]{36}$`));
        for (let i = 0; i < 3; i++) assert.equal(await echo(s.client, `${owner} ${i}`), `Echo: ${owner} ${i}`);
      }
    }
  });

  await t.test('every message POST of a session sent to the other node is forwarded to the node that holds its stream', async () => {
    for (const [stream, posts] of [
      [n1, n2],
      [n2, n1],
    ] as const) {
      const s = await openSse(stream.url, key, posts.url);
      open.push(s.client);
      assert.equal(s.owner, stream.id, 'the node that holds the stream owns the session');
      assert.equal(await echo(s.client, `via ${posts.id}`), `Echo: via ${posts.id}`);
      const listed = await s.client.listTools(undefined, { timeout: 20_000 });
      assert.ok(listed.tools.some((tool) => tool.name === 'echo'));
      // Accepted by the other node for its owner; the answer comes on the owner's stream.
      const raw = await postMessage(posts.url, key, s.sessionId);
      assert.equal(raw.status, 202, `${posts.id} forwards ${stream.id}'s message: ${raw.text}`);
    }
  });

  await t.test('apply --dry-run on each node: in sync (the forwarding routes are the same on every node)', async () => {
    for (const n of cluster.nodes) {
      const dry = await runCli(['apply', '--dry-run'], { cwd: n.checkout.dir });
      assert.equal(dry.code, 0, `${n.id}: ${dry.stdout}${dry.stderr}`);
      assert.match(dry.stdout, /in sync/);
    }
  });

  await t.test('a session of a dead node: its message POSTs get 404 ERR_SESSION_NODE_GONE at once, from the front and from the other node; the live node\'s sessions go on', async () => {
    const gone = byOwner.get('n2')![0]!.sessionId;
    // Close n2's clients first: their EventSource would reconnect through the front.
    for (const s of byOwner.get('n2')!) await s.client.close();
    await n2.node.kill();
    const isGone = (res: { status: number; text: string }) => {
      assert.equal(res.status, 404, `HTTP 404 tells the client to initialize again: ${res.text}`);
      const body = JSON.parse(res.text) as { jsonrpc: string; error: { code: number; message: string; data: { code: string; node: string } } };
      assert.equal(body.jsonrpc, '2.0');
      assert.equal(body.error.data.code, 'ERR_SESSION_NODE_GONE');
      assert.equal(body.error.data.node, 'n2');
      assert.match(body.error.message, /gateway node n2 is gone/);
    };
    // Straight to the live node: it forwards to n2, cannot reach it, and says so.
    isGone(await postMessage(n1.url, key, gone));
    // Through the front, until the front has found n2 dead (its own 502, once) and taken it out.
    const answers: { status: number; text: string }[] = [];
    for (let tries = 0; tries < 60 && (await frontFails(cluster, n2)) === 0; tries++) answers.push(await postMessage(cluster.frontUrl, key, gone));
    assert.ok((await frontFails(cluster, n2)) > 0, `the front never sent a request to the dead node in ${answers.length} tries`);
    const frontOwn = answers.filter((a) => a.status === 502 && a.text === '');
    assert.ok(frontOwn.length <= 1, `only the request that found n2 dead fails at the front: ${JSON.stringify(answers)}`);
    for (const a of answers.filter((x) => !frontOwn.includes(x))) isGone(a);
    isGone(await postMessage(cluster.frontUrl, key, gone));
    for (const s of byOwner.get('n1')!) assert.equal(await echo(s.client, 'still here'), 'Echo: still here');
  });
});
