// Three gateway nodes (`mcpgw up --foreground` each, 127.0.0.11-13) over one set of files behind
// a front Caddy hashing Mcp-Session-Id (testkit/node-cluster): how long a definition change takes
// to reach every node (a new service, disabling it, a revoked key, a scopes.yml change), and what
// a node's death costs under a bounded load (4 clients, session-less 2026-07-28 calls through the
// front): failed requests, the longest any client waited for its next success, and how fast a
// session of the dead node gets its 404. Prints one JSON object.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { revokeApiKey } from '../src/core/identity/api-keys.js';
import { modernCall, openSession, runLoad, untilEveryNode } from '../testkit/cluster-load.js';
import { startModernServer } from '../testkit/modern-mcp-server.js';
import { sessionClusterOptions, startCluster } from '../testkit/node-cluster.js';
import { startRedis } from '../testkit/redis.js';

const CLIENTS = 4;
const upstream = await startModernServer();
const redis = await startRedis();
const options = sessionClusterOptions(upstream.url, redis.url);
const cluster = await startCluster(options);
try {
  const key = cluster.keys.agent!;
  const nodes = cluster.nodes;
  const started = Date.now();
  const status = (service: string, k = key) => async (n: (typeof nodes)[0]) => (await modernCall(n.url, k, 1, service)).status;
  const convergence: Record<string, number> = {};
  await cluster.writeService('added', `transport: streamable-http\nupstream: ${upstream.url}\nhealth: { enabled: false }\n`);
  convergence.new_service_ms = await untilEveryNode(nodes, 'new service', async (n) => (await status('added')(n)) === 200);
  await cluster.writeService('added', `transport: streamable-http\nupstream: ${upstream.url}\nenabled: false\nhealth: { enabled: false }\n`);
  convergence.disable_ms = await untilEveryNode(nodes, 'disabled', async (n) => (await status('added')(n)) === 503);
  await revokeApiKey(cluster.keysFile, 'revokable');
  convergence.revoked_key_ms = await untilEveryNode(nodes, 'revoked', async (n) => (await status('modern', cluster.keys.revokable!)(n)) === 401);
  // scopes.yml (a symlinked file: seen by the 2 s stamp check, not by the directory watch).
  await writeFile(join(cluster.files, 'scopes.yml'), options.scopes.replace('"*": { tools: ["*"] }', 'modern: { tools: [nothing] }'));
  convergence.scopes_change_ms = await untilEveryNode(nodes, 'scopes', async (n) => (await status('modern')(n)) === 403);
  await writeFile(join(cluster.files, 'scopes.yml'), options.scopes);
  await untilEveryNode(nodes, 'scopes back', async (n) => (await status('modern')(n)) === 200);

  // Sessions of the stdio service until the node to be killed owns one.
  const victim = nodes[1]!;
  let doomed: Awaited<ReturnType<typeof openSession>> | undefined;
  const sessions: Awaited<ReturnType<typeof openSession>>[] = [];
  for (let i = 0; i < 30 && !doomed; i++) {
    const s = await openSession(`${cluster.frontUrl}/stdio-everything/mcp`, key);
    sessions.push(s);
    if (s.owner === victim.id) doomed = s;
  }

  const load = runLoad(cluster.frontUrl, key, { clients: CLIENTS });
  await load.until((r) => r.ok >= 50);
  const killedAt = Date.now();
  await victim.node.kill();
  await load.until((r) => r.okAfter(killedAt) >= 100);
  const report = await load.stop();
  const afterKill = report.outcomes.filter((o) => o.ended >= killedAt);
  const firstOk = Math.min(...afterKill.filter((o) => o.ok).map((o) => o.ended));
  const beforeKill = report.outcomes.filter((o) => o.ended < killedAt && o.ok);
  const latencies = beforeKill.map((o) => o.ended - o.started).sort((a, b) => a - b);

  let sessionGone: { ms: number; status?: number } | undefined;
  if (doomed) {
    const t0 = Date.now();
    const err = await doomed.client.callTool({ name: 'echo', arguments: { message: 'x' } }, undefined, { timeout: 30_000 }).then(
      () => undefined,
      (e: Error & { code?: number }) => e,
    );
    sessionGone = { ms: Date.now() - t0, status: err?.code };
  }
  for (const s of sessions) await s.client.close().catch(() => {});

  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'multi-node',
      nodes: nodes.length,
      setup_s: Math.round((Date.now() - started) / 100) / 10,
      convergence,
      node_killed: {
        clients: CLIENTS,
        requests: report.total,
        failed: report.failed,
        failures: [...new Set(report.errors)],
        ok_after_kill: report.okAfter(killedAt),
        first_success_after_kill_ms: firstOk - killedAt,
        p50_ms_before_kill: latencies[Math.floor(latencies.length / 2)],
        session_of_dead_node: sessionGone,
      },
      note: 'one run on the shared 2-core development machine (other sessions running): figures under load',
    })}\n`,
  );
} finally {
  await cluster.close();
  await redis.stop();
  await upstream.close();
}
