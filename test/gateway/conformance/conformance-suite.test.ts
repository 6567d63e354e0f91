// The MCP conformance suite's server scenarios (@modelcontextprotocol/conformance, pinned in
// package.json) against a real upstream directly, and through the gateway with auth: a route to
// the same upstream over Streamable HTTP, and the same server over stdio behind the stdio host.
// Every scenario that passes directly must pass through mcpgw. The suite runs offline: its
// scenarios are built in, and it talks only to the URL it is given.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadProject } from '../../../src/core/config/project.js';
import { applyProject } from '../../../src/control/caddy/apply.js';
import { startAuthd, type RunningAuthd } from '../../../src/gateway/authd/authd-server.js';
import { startStdioHost, type StdioHost } from '../../../src/gateway/stdio-host/stdio-host.js';
import { createApiKey } from '../../../src/core/identity/api-keys.js';
import { stateLayout } from '../../../src/core/state/layout.js';
import { startCaddy, type RunningCaddy } from '../../../testkit/caddy.js';
import { REPO_ROOT, TSX, tempProject } from '../../../testkit/cli.js';
import { freePort, waitForPort } from '../../../testkit/ports.js';
import { stopChild } from '../../../testkit/mcp-servers.js';

const SUITE = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const UPSTREAM = join(REPO_ROOT, 'test', 'fixtures', 'conformance', 'conformance-upstream.ts');

/** Scenario name → passed (no failed check), from the suite's summary lines. */
async function runSuite(url: string): Promise<Map<string, boolean>> {
  const stdout = await new Promise<string>((resolve) => {
    execFile(process.execPath, [SUITE, 'server', '--url', url], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 }, (_err, out) => resolve(out));
  });
  const results = new Map<string, boolean>();
  for (const m of stdout.matchAll(/^[✓✗] (\S+): (\d+) passed, (\d+) failed$/gm)) results.set(m[1]!, m[3] === '0');
  assert.ok(results.size > 20, `the suite reported its scenarios:\n${stdout.slice(-2000)}`);
  return results;
}

/** The suite cannot send a token: a loopback forwarder adds the caller's Authorization header. */
async function withToken(target: string, token: string): Promise<{ url: string; close(): void }> {
  const base = new URL(target);
  const server: Server = createServer((req, res) => {
    const upstream = request(
      { host: base.hostname, port: base.port, path: req.url, method: req.method, headers: { ...req.headers, host: base.host, authorization: `Bearer ${token}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => (server.closeAllConnections(), server.close()) };
}

describe('the conformance suite\'s server scenarios, direct and through mcpgw', () => {
  let upstream: ChildProcess;
  let caddy: RunningCaddy;
  let authd: RunningAuthd;
  let host: StdioHost;
  let forwarder: { url: string; close(): void };
  let project: { dir: string; cleanup(): Promise<void> };
  let upstreamUrl: string;

  before(async () => {
    const upstreamPort = await freePort();
    upstream = spawn(process.execPath, ['--import', TSX, UPSTREAM, 'http', String(upstreamPort)], { stdio: 'ignore' });
    await waitForPort(upstreamPort);
    upstreamUrl = `http://127.0.0.1:${upstreamPort}/mcp`;
    caddy = await startCaddy();
    project = await tempProject();
    const [gatewayPort, authdPort, hostPort] = [await freePort(), await freePort(), await freePort()];
    await mkdir(join(project.dir, 'registry.d'), { recursive: true });
    await writeFile(join(project.dir, 'mcpgw.yaml'), `gateway: { listen: 127.0.0.1:${gatewayPort} }\ncaddy: { admin: ${caddy.admin} }\nauthd: { listen: 127.0.0.1:${authdPort} }\nstdio_host: { listen: 127.0.0.1:${hostPort} }\n`);
    await writeFile(join(project.dir, 'scopes.yml'), 'groups:\n  conformance: [suite]\nscopes:\n  suite:\n    servers:\n      "conf-*": { methods: ["*"], tools: ["*"], prompts: ["*"], resources: ["*"] }\n');
    await writeFile(join(project.dir, 'registry.d', 'conf-route.yaml'), `name: conf-route\ntransport: streamable-http\nupstream: ${upstreamUrl}\n`);
    await writeFile(join(project.dir, 'registry.d', 'conf-stdio.yaml'), `name: conf-stdio\ncommand:\n  run: [${JSON.stringify(process.execPath)}, --import, ${JSON.stringify(TSX)}, ${JSON.stringify(UPSTREAM)}, stdio]\n`);
    const loaded = await loadProject(project.dir);
    const { key } = await createApiKey(stateLayout(loaded.stateDir).apiKeysFile, 'suite', ['conformance']);
    authd = await startAuthd({ root: project.dir, log: () => {} });
    host = await startStdioHost(loaded, { watch: false });
    const report = await applyProject(loaded);
    assert.ok(report.ok, JSON.stringify(report.results.map((r) => r.error?.message)));
    await waitForPort(gatewayPort);
    forwarder = await withToken(`http://127.0.0.1:${gatewayPort}`, key);
  });

  after(async () => {
    forwarder?.close();
    await host?.close();
    await authd?.close();
    await caddy?.stop();
    if (upstream) await stopChild(upstream);
    await project?.cleanup();
  });

  test('every scenario that passes against the upstream directly passes through a gateway route and through the stdio host, with auth', async () => {
    const direct = await runSuite(upstreamUrl);
    const passing = [...direct].filter(([, ok]) => ok).map(([name]) => name);
    assert.ok(passing.length >= 25, `most scenarios pass directly: ${passing.join(', ')}`);
    for (const [label, url] of [['route', `${forwarder.url}/conf-route/mcp`], ['stdio host', `${forwarder.url}/conf-stdio/mcp`]] as const) {
      const through = await runSuite(url);
      const lost = passing.filter((name) => through.get(name) !== true);
      assert.deepEqual(lost, [], `through the ${label}, these scenarios passed directly but not through mcpgw`);
    }
  });
});
