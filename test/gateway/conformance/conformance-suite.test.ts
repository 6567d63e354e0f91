// The MCP conformance suite's server scenarios (@modelcontextprotocol/conformance, pinned in
// package.json) against a real upstream directly, and through the gateway with auth: a route to
// the same upstream over Streamable HTTP, and the same server over stdio behind the stdio host.
// Every scenario that passes directly must pass through mcpgw. The suite runs offline: its
// scenarios are built in, and it talks only to the URL it is given.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { REPO_ROOT, TSX } from '../../../testkit/cli.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
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
  let gw: TestGateway;
  let forwarder: { url: string; close(): void };
  let upstreamUrl: string;

  before(async () => {
    const upstreamPort = await freePort();
    upstream = spawn(process.execPath, ['--import', TSX, UPSTREAM, 'http', String(upstreamPort)], { stdio: 'ignore' });
    await waitForPort(upstreamPort);
    upstreamUrl = `http://127.0.0.1:${upstreamPort}/mcp`;
    gw = await startTestGateway({
      scopes: 'groups:\n  conformance: [suite]\nscopes:\n  suite:\n    servers:\n      "conf-*": { methods: ["*"], tools: ["*"], prompts: ["*"], resources: ["*"] }\n',
      services: {
        'conf-route': `transport: streamable-http\nupstream: ${upstreamUrl}\n`,
        'conf-stdio': `command:\n  run: [${JSON.stringify(process.execPath)}, --import, ${JSON.stringify(TSX)}, ${JSON.stringify(UPSTREAM)}, stdio]\n`,
      },
      apiKeys: { suite: ['conformance'] },
      stdioHost: true,
      apply: true,
    });
    forwarder = await withToken(gw.url, gw.keys.suite!);
  });

  after(async () => {
    forwarder?.close();
    await gw?.close();
    if (upstream) await stopChild(upstream);
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
