// Through the real gateway: Caddy (routes rendered by src/caddy) → authd → server-everything,
// with tokens from a real OpenID provider and the MCP SDK client as the agent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadProject } from '../../../src/core/config/project.js';
import { applyProject } from '../../../src/control/caddy/apply.js';
import { startAuthd, type RunningAuthd } from '../../../src/gateway/authd/authd-server.js';
import { startEverything, stopChild, type RunningServer } from '../../helpers/everything.js';
import { freePort, waitForPort } from '../../helpers/ports.js';
import { startTestIdp, type TestIdp } from '../../fixtures/oidc/test-idp.js';
import { gatewayProject } from '../../fixtures/oidc/gateway-project.js';

describe('gateway end to end (real Caddy, authd, server-everything)', () => {
  let idp: TestIdp;
  let everything: RunningServer;
  let caddy: ChildProcess;
  let authd: RunningAuthd | undefined;
  let project: { dir: string; cleanup(): Promise<void> };
  let gateway: string;
  let counter: Server;
  let counterHits = 0;
  const tokens: Record<string, string> = {};

  before(async () => {
    const [gwPort, adminPort, authdPort] = [await freePort(), await freePort(), await freePort()];
    gateway = `http://127.0.0.1:${gwPort}`;
    idp = await startTestIdp({ audience: gateway, users: {} });
    everything = await startEverything('streamableHttp');
    // A counting upstream: proves whether Caddy proxied a request at all.
    counter = createServer((_req, res) => {
      counterHits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"result":{}}');
    });
    await new Promise<void>((r) => counter.listen(0, '127.0.0.1', r));
    project = await gatewayProject({ issuer: idp.issuer, audience: gateway, gatewayListen: `127.0.0.1:${gwPort}`, authdListen: `127.0.0.1:${authdPort}`, upstream: everything.url, caddyAdmin: `127.0.0.1:${adminPort}` });
    await writeFile(join(project.dir, 'registry.d', 'counter.yaml'), `name: counter\ntransport: streamable-http\nupstream: http://127.0.0.1:${(counter.address() as { port: number }).port}/mcp\n`);
    const bootstrap = join(project.dir, 'caddy-bootstrap.json');
    await writeFile(bootstrap, JSON.stringify({ admin: { listen: `127.0.0.1:${adminPort}` } }));
    caddy = spawn('caddy', ['run', '--config', bootstrap], { stdio: 'ignore' });
    await waitForPort(adminPort, '127.0.0.1', 30_000);
    const report = await applyProject(await loadProject(project.dir));
    assert.ok(report.ok, JSON.stringify(report.results.map((r) => r.error?.message)));
    await waitForPort(gwPort, '127.0.0.1', 30_000);
    authd = await startAuthd({ root: project.dir, log: () => {} });
    const now = Math.floor(Date.now() / 1000);
    for (const [sub, groups] of [['alice', ['developers']], ['root', ['admins']]] as const) {
      tokens[sub] = await idp.sign({ iss: idp.issuer, aud: gateway, sub, groups, iat: now, exp: now + 900 });
    }
  });
  after(async () => {
    await authd?.close();
    if (caddy) await stopChild(caddy);
    await everything?.stop();
    counter?.close();
    await idp?.close();
    await project?.cleanup();
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
