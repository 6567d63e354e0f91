// Through the real gateway: Caddy (routes rendered by src/caddy) → authd → server-everything,
// with tokens from a real OpenID provider and the MCP SDK client as the agent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { copyFile, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RunningAuthd } from '../../../src/gateway/authd/authd-server.js';
import { startEverything, type RunningServer } from '../../../testkit/mcp-servers.js';
import { startTestIdp, type TestIdp } from '../../fixtures/oidc/test-idp.js';
import { SCOPES_YML } from '../../../testkit/gateway-project.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startHeaderEcho } from '../../../testkit/header-echo.js';
import { eventually } from '../../helpers/eventually.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const INSPECTOR_CLI = join(REPO_ROOT, 'node_modules', '.bin', 'mcp-inspector-cli');
// inspector-cli reads its package.json relative to the working directory: run it from its build folder.
const INSPECTOR_CWD = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build');

function inspector(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(INSPECTOR_CLI, args, { cwd: INSPECTOR_CWD, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 2) : 0, stdout, stderr });
    });
  });
}

describe('gateway end to end (real Caddy, authd, server-everything)', () => {
  let gw: TestGateway<TestIdp>;
  let idp: TestIdp;
  let everything: RunningServer;
  let authd: RunningAuthd | undefined;
  let gateway: string;
  let counter: Server;
  let counterHits = 0;
  let echo: Awaited<ReturnType<typeof startHeaderEcho>>;
  const tokens: Record<string, string> = {};

  before(async () => {
    everything = await startEverything('streamableHttp');
    // A counting upstream: proves whether Caddy proxied a request at all.
    counter = createServer((_req, res) => {
      counterHits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"result":{}}');
    });
    await new Promise<void>((r) => counter.listen(0, '127.0.0.1', r));
    echo = await startHeaderEcho();
    gw = await startTestGateway({
      idp: (url) => startTestIdp({ audience: url, users: {} }),
      upstream: everything.url,
      services: {
        counter: `transport: streamable-http\nupstream: http://127.0.0.1:${(counter.address() as { port: number }).port}/mcp\n`,
        profiled: `transport: streamable-http\nupstream: ${echo.url}?profile=free\nauth: none\n`,
      },
      apply: true,
    });
    ({ idp, authd, url: gateway } = gw);
    const now = Math.floor(Date.now() / 1000);
    for (const [sub, groups] of [['alice', ['developers']], ['root', ['admins']]] as const) {
      tokens[sub] = await idp.sign({ iss: idp.issuer, aud: gateway, sub, groups, iat: now, exp: now + 900 });
    }
  });
  after(async () => {
    await gw?.close();
    await everything?.stop();
    counter?.close();
    await echo?.close();
  });

  async function connect(token?: string): Promise<Client> {
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${gateway}/everything/mcp`), {
      requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
    });
    await client.connect(transport);
    return client;
  }

  test('an allowed tool returns its result; a tool outside the scopes gets 403 while tools/list works', async () => {
    const client = await connect(tokens.alice);
    try {
      const tools = await client.listTools();
      assert.ok(tools.tools.some((t) => t.name === 'echo'));
      const result = await client.callTool({ name: 'echo', arguments: { message: 'through the gateway' } });
      assert.match(JSON.stringify(result.content), /through the gateway/);
      await assert.rejects(client.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } }), /403|not allowed/);
    } finally {
      await client.close();
    }
  });

  test('no token gets 401 with resource_metadata; a forged X-User does not help', async () => {
    const res = await fetch(`${gateway}/everything/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-user': 'root', 'x-groups': 'admins' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), `Bearer resource_metadata="${gateway}/.well-known/oauth-protected-resource/everything"`);
    const meta = await (await fetch(`${gateway}/.well-known/oauth-protected-resource/everything`)).json();
    assert.deepEqual(meta.authorization_servers, [idp.issuer]);
  });

  test('a refused tool call gets 403 with an insufficient_scope challenge; metadata is served at the endpoint\'s path-inserted URL', async () => {
    const res = await fetch(`${gateway}/everything/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'get-sum', arguments: { a: 1, b: 2 } } }),
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('www-authenticate'), `Bearer error="insufficient_scope", scope="ci admins", resource_metadata="${gateway}/.well-known/oauth-protected-resource/everything"`);
    for (const endpoint of ['mcp', 'sse']) {
      const meta = await fetch(`${gateway}/.well-known/oauth-protected-resource/everything/${endpoint}`);
      assert.equal(meta.status, 200, endpoint);
      assert.equal((await meta.json()).resource, `${gateway}/everything/${endpoint}`);
    }
  });

  test('an upstream URL with a query string receives it through the gateway, before the client\'s own', async () => {
    const post = (path: string) =>
      fetch(`${gateway}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    assert.equal((await post('/profiled/mcp')).status, 200);
    assert.equal(echo.last()?.url, '/mcp?profile=free');
    await post('/profiled/mcp?trace=1');
    assert.equal(echo.last()?.url, '/mcp?profile=free&trace=1');
  });

  test('with the shipped scopes.yml, inspector-cli connects (logging/setLevel on connect) and calls the one tool its group was granted', async () => {
    await copyFile(join(REPO_ROOT, 'scopes.yml'), join(gw.dir, 'scopes.yml'));
    try {
      const base = ['--cli', `${gateway}/everything/mcp`, '--transport', 'http', '--header', `Authorization: Bearer ${tokens.alice}`];
      const called = await eventually(async () => {
        const run = await inspector([...base, '--method', 'tools/call', '--tool-name', 'get-sum', '--tool-arg', 'a=2', 'b=40']);
        assert.equal(run.code, 0, run.stderr);
        return run;
      });
      assert.match(called.stdout, /42/, 'developers are granted get-sum by the shipped scopes.yml');
      const listed = await inspector([...base, '--method', 'tools/list']);
      assert.equal(listed.code, 0, listed.stderr);
      const refused = await inspector([...base, '--method', 'tools/call', '--tool-name', 'get-env']);
      assert.notEqual(refused.code, 0, 'a tool outside the grant is still refused');
    } finally {
      await writeFile(join(gw.dir, 'scopes.yml'), SCOPES_YML);
      await eventually(async () => {
        const res = await fetch(`${gateway}/everything/mcp`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.root}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
        // The upstream answers 400 (no session); authd would have answered 403 with the shipped scopes.
        assert.notEqual(res.status, 403, 'the fixture scopes are back');
      });
    }
  });

  test('with authd stopped, Caddy answers an error and never proxies the request', async () => {
    const send = () =>
      fetch(`${gateway}/counter/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.root}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    assert.equal((await send()).status, 200, 'the route works while authd runs');
    const hitsBefore = counterHits;
    await authd!.close();
    authd = undefined;
    const res = await send();
    assert.ok(res.status >= 500, `status ${res.status}`);
    assert.equal(counterHits, hitsBefore, 'the upstream was not reached');
  });
});
