// The MCP Registry API at <gateway>/v0.1 through the real gateway (Caddy → authd → registry
// server), every answer validated against the official OpenAPI document (test/fixtures/registry-api).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistryGateway, eventually, type RegistryGateway } from '../registry-server/registry-gateway.js';
import { SCOPES_YML } from '../../../testkit/gateway-project.js';
import { schemaErrors } from './openapi-validator.js';

const SCOPES =
  SCOPES_YML.replace('groups:\n', 'groups:\n  narrow: [narrow]\n  anonymous: [catalogue]\n') +
  `  narrow:
    servers:
      mcpgw: {}
      everything: { tools: [echo] }
  catalogue:
    servers:
      weather: {}
`;

const LONG = 'Forecasts, warnings and observations for any place on earth, hour by hour, from the national weather services of forty countries';

const WEATHER = `name: weather
description: ${LONG}
tags: [weather]
upstream: http://127.0.0.1:9/mcp
metadata:
  version: 2.1.0
  owner: weather-team
  cost_center: CC-1234
  repository: { url: https://github.com/example/weather-mcp, source: github }
`;

interface ServerList {
  servers: { server: Record<string, any>; _meta: Record<string, any> }[];
  metadata: { count: number; nextCursor?: string };
}

describe('MCP Registry API /v0.1 (real Caddy, authd, registry server)', () => {
  let gw: RegistryGateway;
  let root: string;

  const get = async (path: string, token?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gw.url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const list = async (query: string, token = root): Promise<ServerList> => {
    const { status, body } = await get(`/v0.1/servers${query}`, token);
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(schemaErrors('ServerList', body), []);
    return body as ServerList;
  };

  before(async () => {
    gw = await startRegistryGateway({ scopes: SCOPES, services: { weather: WEATHER }, probe: false });
    root = gw.root;
  });
  after(async () => {
    await gw?.stop();
  });

  test('GET /v0.1/servers answers server.json documents of the official schema, each reached through this gateway', async () => {
    const { servers, metadata } = await list('');
    assert.deepEqual(servers.map((s) => s.server.name), ['local.mcpgw/everything', 'local.mcpgw/weather']);
    assert.equal(metadata.count, 2);
    assert.equal(metadata.nextCursor, undefined);
    const weather = servers[1]!;
    assert.deepEqual(weather.server.remotes, [{ type: 'streamable-http', url: `${gw.url}/weather/mcp`, headers: [{ name: 'Authorization', description: `Bearer token for ${gw.url} (mcpgw login, or an API key)`, isRequired: true, isSecret: true }] }]);
    assert.equal(weather.server.version, '2.1.0');
    assert.ok(weather.server.description.length <= 100 && LONG.startsWith(weather.server.description.slice(0, -1)), 'the description is cut to the schema\'s 100 characters');
    assert.deepEqual(weather.server.repository, { url: 'https://github.com/example/weather-mcp', source: 'github' });
    assert.equal(weather.server._meta['io.modelcontextprotocol.registry/publisher-provided'].cost_center, 'CC-1234', 'the definition\'s metadata is the publisher-provided data');
    const own = weather._meta['io.mcpgw/service'];
    assert.deepEqual([own.service, own.path, own.enabled, own.description, own.tags], ['weather', '/weather', true, LONG, ['weather']]);
    const official = weather._meta['io.modelcontextprotocol.registry/official'];
    assert.equal(official.status, 'active');
    assert.equal(official.isLatest, true);
    assert.ok(!Number.isNaN(Date.parse(official.updatedAt)));
  });

  test('pagination: limit=1 walks every server once, following metadata.nextCursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(`?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.servers.length, 1);
      seen.push(page.servers[0]!.server.name);
      cursor = page.metadata.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['local.mcpgw/everything', 'local.mcpgw/weather']);
  });

  test('search and version=latest filter; updated_since returns only what changed after it', async () => {
    assert.deepEqual((await list('?search=WEATH&version=latest')).servers.map((s) => s.server.name), ['local.mcpgw/weather']);
    assert.deepEqual((await list('?version=2.1.0')).servers.map((s) => s.server.name), ['local.mcpgw/weather']);
    const later = new Date(Date.now() + 3600_000);
    await utimes(join(gw.dir, 'registry.d', 'weather.yaml'), later, later);
    const since = new Date(later.getTime() - 60_000).toISOString();
    const changed = await list(`?updated_since=${encodeURIComponent(since)}`);
    assert.deepEqual(changed.servers.map((s) => s.server.name), ['local.mcpgw/weather']);
    assert.equal(changed.servers[0]!._meta['io.modelcontextprotocol.registry/official'].updatedAt, later.toISOString());
    // Round trip: what a page says it was updated at, passed back, returns nothing older.
    assert.deepEqual((await list(`?updated_since=${encodeURIComponent(later.toISOString())}`)).servers, []);
  });

  test('a bad query answers 400 with what to send instead', async () => {
    const bad = await get('/v0.1/servers?updated_since=yesterday', root);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /RFC 3339/);
    assert.match(bad.body.hint, /2025-08-07T13:15:04.280Z/);
    assert.equal((await get('/v0.1/servers?cursor=bm9wZQ', root)).status, 400);
  });

  test('/versions, /versions/latest and /versions/{version} of one server', async () => {
    const name = encodeURIComponent('local.mcpgw/weather');
    const versions = await get(`/v0.1/servers/${name}/versions`, root);
    assert.equal(versions.status, 200);
    assert.deepEqual(schemaErrors('ServerList', versions.body), []);
    assert.deepEqual(versions.body.servers.map((s: { server: { version: string } }) => s.server.version), ['2.1.0']);
    for (const v of ['latest', '2.1.0']) {
      const one = await get(`/v0.1/servers/${name}/versions/${v}`, root);
      assert.equal(one.status, 200);
      assert.deepEqual(schemaErrors('ServerResponse', one.body), []);
      assert.equal(one.body.server.name, 'local.mcpgw/weather');
    }
    assert.equal((await get(`/v0.1/servers/${name}/versions/1.0.0`, root)).status, 404);
    assert.equal((await get(`/v0.1/servers/${encodeURIComponent('local.mcpgw/nothing')}/versions`, root)).status, 404);
    // A definition without metadata.version gets one that changes with the definition.
    const everything = await get(`/v0.1/servers/${encodeURIComponent('local.mcpgw/everything')}/versions/latest`, root);
    assert.match(everything.body.server.version, /^0\.0\.0-[0-9a-f]{12}$/);
  });

  test('each caller sees what scopes.yml lets them see; what is hidden does not exist for them', async () => {
    const nina = await gw.token('nina', ['narrow']);
    assert.deepEqual((await list('', nina)).servers.map((s) => s.server.name), ['local.mcpgw/everything']);
    assert.equal((await get(`/v0.1/servers/${encodeURIComponent('local.mcpgw/weather')}/versions/latest`, nina)).status, 404);
    // developers hold registry list: they see every service.
    assert.equal((await list('', gw.alice)).servers.length, 2);
    // ci holds no registry right and no grant on mcpgw: authd refuses it, as it refuses it /mcpgw.
    assert.equal((await get('/v0.1/servers', await gw.token('cici', ['ci']))).status, 403);
  });

  test('without a token: 401 (public mode is off by default); CORS answers preflights and every read', async () => {
    const anonymous = await get('/v0.1/servers');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('access-control-allow-origin'), '*');
    const preflight = await fetch(`${gw.url}/v0.1/servers`, { method: 'OPTIONS', headers: { origin: 'vscode-file://vscode-app', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /GET/);
    const fromIde = await get('/v0.1/servers', root, { origin: 'https://ide.example.com' });
    assert.equal(fromIde.status, 200, 'the Origin check of MCP routes does not apply to the read-only API');
    assert.equal(fromIde.headers.get('access-control-allow-origin'), '*');
    const write = await fetch(`${gw.url}/v0.1/publish`, { method: 'POST', headers: { authorization: `Bearer ${root}` }, body: '{}' });
    assert.equal(write.status, 405);
  });

  test('public mode (registry_api.public: true): a token-less caller sees what the public group is granted, a token still counts', async () => {
    await appendFile(join(gw.dir, 'mcpgw.yaml'), 'registry_api:\n  public: true\n');
    await gw.apply();
    await eventually(async () => {
      const { status, body } = await get('/v0.1/servers');
      assert.equal(status, 200);
      assert.deepEqual(schemaErrors('ServerList', body), []);
      assert.deepEqual(body.servers.map((s: { server: { name: string } }) => s.server.name), ['local.mcpgw/weather']);
    });
    assert.equal((await list('')).servers.length, 2, 'a caller with a token sees what their groups see');
    assert.equal((await get('/v0.1/servers', 'not-a-token')).status, 401, 'a bad token is refused, not served as anonymous');
  });
});
