// `mcpgw render` and `routes` touch no upstream: discovering where an SSE server takes its
// messages is a step of apply, cached in the state dir; render reads only that cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, createServer, type Socket } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadProject } from '../../../src/core/config/project.js';
import { renderForProject } from '../../../src/control/caddy/render-input.js';
import { discoverSseEndpoints, readSseEndpoints } from '../../../src/control/caddy/sse-endpoint-cache.js';
import { configAnatomy } from '../../../src/control/caddy/route-anatomy.js';
import { startEverything } from '../../../testkit/mcp-servers.js';
import { runCli, tempProject } from '../../../testkit/cli.js';

/** A loopback TCP relay in front of the real server that counts the connections it is asked for. */
async function countingRelay(port: number): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    count++;
    sockets.add(socket);
    const upstream = createConnection(port, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return { port: (server.address() as { port: number }).port, connections: () => count, close };
}

test('render and routes open no connection to an SSE upstream; apply discovers its message path once and render reads the cache', async (t) => {
  const everything = await startEverything('sse');
  t.after(() => everything.stop());
  const relay = await countingRelay(everything.port);
  t.after(() => relay.close());
  const p = await tempProject();
  t.after(p.cleanup);
  await mkdir(join(p.dir, 'registry.d'));
  // A Caddy admin address nothing listens on: this test pushes nowhere.
  await writeFile(join(p.dir, 'mcpgw.yaml'), 'caddy:\n  admin: 127.0.0.1:1\n');
  await writeFile(join(p.dir, 'registry.d', 'legacy.yaml'), `name: legacy\ntransport: sse\nupstream: http://127.0.0.1:${relay.port}/sse\n`);
  const project = await loadProject(p.dir);

  const before = await renderForProject(project);
  assert.ok(!configAnatomy(before.config).some((r) => r.match === '/message'), 'no endpoint route before apply discovered one');
  const cli = await runCli(['render'], { cwd: p.dir });
  assert.equal(cli.code, 0, cli.stderr);
  assert.ok(JSON.parse(cli.stdout).apps.http.servers.mcpgw);
  assert.equal(relay.connections(), 0, 'render (in process and `mcpgw render`) connected to nobody');

  assert.deepEqual(await discoverSseEndpoints(project), { legacy: '/message' });
  const asked = relay.connections();
  assert.ok(asked >= 1, 'discovery asked the upstream');
  assert.deepEqual(await readSseEndpoints(project), { legacy: '/message' }, 'cached in the state dir');

  const after = await renderForProject(project);
  const endpoint = configAnatomy(after.config).find((r) => r.match === '/message');
  assert.equal(endpoint?.auth?.service, 'legacy', 'the cached endpoint is routed, behind authd for its service');
  assert.equal(relay.connections(), asked, 'rendering from the cache connected to nobody');
});
