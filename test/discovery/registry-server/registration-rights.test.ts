// Delegated registration through the registry MCP server, all real (Caddy, authd, registry
// server, server-everything; issue 12 item 2): `register` is not root. A path Caddy cannot tell
// from another service's (case, legacy SSE message path) is refused; secrets, upstream hosts
// and commands are held to what scopes.yml declares for the registrant's scope.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SCOPES_YML } from '../../../testkit/gateway-project.js';
import { startEverything, type RunningServer } from '../../../testkit/mcp-servers.js';
import { runCli } from '../../../testkit/cli.js';
import { connectWithToken, eventually, startRegistryGateway, textOf, type RegistryGateway } from './registry-gateway.js';

/** Delegates: `registrars` hold plain `register` (public hosts, no secrets); `weather` a declared grant. */
const SCOPES = SCOPES_YML.replace('groups:\n', 'groups:\n  registrars: [registrar]\n  weather: [weather-team]\n') +
  `  registrar:
    registry: [list, register]
  weather-team:
    registry:
      rights: [list, register]
      secrets: [WEATHER_*]
      upstreams: [127.0.0.1]
`;

describe('registration rights through the registry server', () => {
  let gw: RegistryGateway;
  let legacy: RunningServer;
  let registrar: string;
  let weather: string;

  before(async () => {
    gw = await startRegistryGateway();
    legacy = await startEverything('sse');
    await writeFile(join(gw.dir, 'scopes.yml'), SCOPES);
    // A legacy SSE service: apply reads its endpoint event (server-everything: /message) and routes that path.
    await writeFile(join(gw.dir, 'registry.d', 'legacy.yaml'), `name: legacy\ntransport: sse\nupstream: ${legacy.url}\n`);
    const applied = await runCli(['apply'], { cwd: gw.dir, timeoutMs: 120_000 });
    assert.equal(applied.code, 0, applied.stderr);
    registrar = await gw.token('rita', ['registrars']);
    weather = await gw.token('wendy', ['weather']);
  });
  after(async () => {
    await legacy?.stop();
    await gw?.stop();
  });

  async function register(token: string, args: Record<string, unknown>) {
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, token);
    try {
      // authd may still be reloading scopes.yml: the right shows as the tool being listed.
      await eventually(async () => assert.ok((await registry.listTools()).tools.some((t) => t.name === 'register_service')));
      return await registry.callTool({ name: 'register_service', arguments: args });
    } finally {
      await registry.close();
    }
  }

  const files = async () => (await readdir(join(gw.dir, 'registry.d'))).sort();

  test('a path differing only in case from another service is refused, even for an admin', async () => {
    const before = await files();
    const result = await register(gw.root, { name: 'shadow', path: '/Everything', upstream: gw.everything.url });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /E_DUPLICATE_PATH|already used by registry\.d\/everything\.yaml/);
    assert.match(textOf(result), /case/);
    assert.deepEqual(await files(), before, 'nothing written');
  });

  test("another service's legacy SSE message path (/message) is refused", async () => {
    const result = await register(gw.root, { name: 'grab', path: '/message', upstream: gw.everything.url });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /\/message.*legacy/);
    assert.ok(!(await files()).includes('grab.yaml'));
  });

  test('plain `register` reaches public hosts only: loopback and metadata addresses are refused', async () => {
    for (const upstream of [gw.everything.url, 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:127.0.0.1]:9/mcp']) {
      const result = await register(registrar, { name: 'probe-inside', upstream });
      assert.equal(result.isError, true, upstream);
      assert.match(textOf(result), /ERR_REGISTRATION_REFUSED[\s\S]*upstream/);
    }
    assert.ok(!(await files()).includes('probe-inside.yaml'));
  });

  test('command: needs its own right', async () => {
    const result = await register(weather, { name: 'runner', command: 'node -e "1"' });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /E_COMMAND_NOT_ALLOWED|runs a program/);
    assert.ok(!(await files()).includes('runner.yaml'));
  });

  // Last: the one registration that succeeds makes Caddy reload after the answer.
  test("a registrant's header may reference only the secrets its scope declares", async () => {
    const stolen = await register(weather, { name: 'exfil', upstream: gw.everything.url, headers: { 'X-Api-Key': '${env:MCPGW_ADMIN_SECRET}' } });
    assert.equal(stolen.isError, true);
    assert.match(textOf(stolen), /ERR_REGISTRATION_REFUSED[\s\S]*MCPGW_ADMIN_SECRET/);
    assert.ok(!(await files()).includes('exfil.yaml'));
    const declared = await register(weather, { name: 'forecast', upstream: gw.everything.url, headers: { 'X-Api-Key': '${env:WEATHER_TOKEN}' } });
    assert.ok(!declared.isError, textOf(declared));
    assert.ok((await files()).includes('forecast.yaml'));
  });

});
