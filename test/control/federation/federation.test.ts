// Two gateways federated end to end, each with its own Caddy, authd, registry server and
// identity provider on private ports: west lists east as a peer (federation.peers), offers
// east's services read-only, searches them, and routes calls to east — west's policy first,
// east's (for west's credential there) after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runCli } from '../../../testkit/cli.js';
import { SCOPES_YML } from '../../../testkit/gateway-project.js';
import { startRegistryGateway, connectWithToken, eventually, textOf, type RegistryGateway } from '../../discovery/registry-server/registry-gateway.js';

/** east: west's key may list and call `echo` on everything — nothing else. */
const EAST_SCOPES = SCOPES_YML.replace('groups:\n', 'groups:\n  federation-west: [from-west]\n') + `  from-west:
    servers:
      mcpgw: {}
      everything: { tools: [echo] }
`;

/** west: remote-users may call echo and get-sum on east's services; developers nothing there. */
const WEST_SCOPES = SCOPES_YML.replace('groups:\n', 'groups:\n  remote-users: [remote]\n') + `  remote:
    servers:
      mcpgw: { tools: [find_tools, list_services] }
      "east--*": { tools: [echo, get-sum] }
`;

const callBody = (tool: string) => JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: tool, arguments: { message: 'hi', a: 1, b: 2 } } });

describe('federation: two gateways through real Caddy', () => {
  let east: RegistryGateway;
  let west: RegistryGateway;
  let env: NodeJS.ProcessEnv;
  let remoteUser: string;
  const westCli = (...args: string[]) => runCli(args, { cwd: west.dir, env });

  before(async () => {
    east = await startRegistryGateway({ scopes: EAST_SCOPES, apiKeys: { west: ['federation-west'] } });
    env = { EAST_TOKEN: east.keys.west! };
    // The registry server and probes of this process resolve ${env:EAST_TOKEN} too.
    process.env.EAST_TOKEN = east.keys.west!;
    west = await startRegistryGateway({
      scopes: WEST_SCOPES,
      settingsYaml: `federation:\n  peers:\n    - name: east\n      url: ${east.url}\n      token: "\${env:EAST_TOKEN}"\n`,
      caddyEnv: env,
    });
    remoteUser = await west.token('rita', ['remote-users']);
    const refreshed = await westCli('federation', 'refresh', '--json');
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.deepEqual(JSON.parse(refreshed.stdout).data.peers.map((p: { peer: string; servers: number }) => [p.peer, p.servers]), [['east', 1]]);
  });
  after(async () => {
    await west?.stop();
    await east?.stop();
    delete process.env.EAST_TOKEN;
  });

  test("the peer's services appear here marked remote: list_services, mcpgw list, /v0.1", async () => {
    const client = await connectWithToken(`${west.url}/mcpgw/mcp`, west.root);
    try {
      await eventually(async () => {
        const listed = JSON.parse(textOf(await client.callTool({ name: 'list_services', arguments: {} })));
        const remote = (listed.services ?? listed).find((s: { name: string }) => s.name === 'east--everything');
        assert.ok(remote, textOf(listed));
        assert.equal(remote.remote, 'east');
        assert.equal(remote.url, `${west.url}/east/everything/mcp`);
      });
    } finally {
      await client.close();
    }
    const table = await westCli('list');
    assert.match(table.stdout, new RegExp(`east--everything\\s+/east/everything\\s+yes\\s+streamable-http\\s+peer east: ${east.url}/everything`));
    const list = await westCli('list', '--json');
    assert.equal(list.code, 0, list.stderr);
    const row = JSON.parse(list.stdout).data.services.find((s: { name: string }) => s.name === 'east--everything');
    assert.equal(row.remote, 'east');
    const api = await (await fetch(`${west.url}/v0.1/servers`, { headers: { authorization: `Bearer ${west.root}` } })).json();
    const served = api.servers.find((s: { server: { name: string } }) => s.server.name === 'local.mcpgw/east--everything');
    assert.equal(served._meta['io.mcpgw/service'].peer, 'east');
    assert.equal(served.server.remotes[0].url, `${west.url}/east/everything/mcp`);
  });

  test('read-only here: disabling or removing a peer service is refused with where to change it', async () => {
    const r = await westCli('disable', 'east--everything');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /federation peer east: read-only here/);
  });

  test('a call routes to the peer through this gateway when both policies allow it', async () => {
    const client = new Client({ name: 'federation-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${west.url}/east/everything/mcp`), { requestInit: { headers: { Authorization: `Bearer ${remoteUser}` } } }));
    try {
      const result = await client.callTool({ name: 'echo', arguments: { message: 'across gateways' } });
      assert.match(textOf(result), /across gateways/);
    } finally {
      await client.close();
    }
  });

  test("refused where this gateway's policy refuses: west's authd answers, for its own name of the service", async () => {
    const res = await fetch(`${west.url}/east/everything/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${west.alice}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: callBody('echo'),
    });
    assert.equal(res.status, 403);
    const body = await res.json();
    assert.equal(body.error.data.server, 'east--everything', 'decided by west, for its own name of the service');
  });

  test("refused where the peer's policy refuses: west allows get-sum, east's authd refuses it to west's credential", async () => {
    const res = await fetch(`${west.url}/east/everything/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${remoteUser}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: callBody('get-sum'),
    });
    assert.equal(res.status, 403);
    const body = await res.json();
    assert.equal(body.error.data.server, 'everything', "decided by east, for its own service");
    assert.match(body.error.message, /get-sum/);
    assert.equal(res.headers.get('www-authenticate'), null, "east's challenge concerns west's credential there, not the caller: not passed on");
  });

  test('find searches both gateways: the local everything and the peer\'s, each with the URL to call it here', async () => {
    const probed = await westCli('probe', '--json');
    assert.equal(probed.code, 0, probed.stderr);
    const found = await westCli('find', 'echo back a message', '--json');
    assert.equal(found.code, 0, found.stderr);
    const servers = new Set(JSON.parse(found.stdout).data.results.map((r: { server: string }) => r.server));
    assert.ok(servers.has('everything') && servers.has('east--everything'), [...servers].join(', '));
    // Through the registry server, for a caller: only what west's scopes.yml lets them call.
    const client = await connectWithToken(`${west.url}/mcpgw/mcp`, remoteUser);
    try {
      const result = await client.callTool({ name: 'find_tools', arguments: { query: 'echo back a message' } });
      const text = textOf(result);
      assert.match(text, /east--everything/);
      assert.doesNotMatch(text, /"server":\s*"everything"/, 'rita holds no grant on west\'s own everything');
    } finally {
      await client.close();
    }
  });
});
