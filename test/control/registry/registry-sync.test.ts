// `mcpgw import --registry` and `mcpgw sync`: from a second mcpgw's /v0.1 (real: Caddy, authd,
// registry server, started here) and from recorded responses of the official registry
// (test/fixtures/registry-api/official, replayed by a small server here; see SOURCES.md).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli, tempProject } from '../../../testkit/cli.js';
import { startRegistryGateway, type RegistryGateway } from '../../discovery/registry-server/registry-gateway.js';

const OFFICIAL = join(import.meta.dirname, '..', '..', 'fixtures', 'registry-api', 'official');

const WEATHER = `name: weather
description: Forecasts and warnings for any place, hour by hour, from the national weather services of forty countries
tags: [weather, forecast]
upstream: http://127.0.0.1:9/mcp
metadata:
  version: 2.1.0
  owner: weather-team
  cost_center: CC-1234
`;

describe('import --registry and sync from another mcpgw (real gateway)', () => {
  let east: RegistryGateway;
  let here: { dir: string; cleanup(): Promise<void> };
  const cli = (...args: string[]) => runCli(args, { cwd: here.dir, env: { EAST_TOKEN: east.keys.west! } });
  const yamlOf = async (name: string) => parse(await readFile(join(here.dir, 'registry.d', `${name}.yaml`), 'utf8'));

  before(async () => {
    east = await startRegistryGateway({ services: { weather: WEATHER }, apiKeys: { west: ['outsiders'] }, probe: false });
    here = await tempProject();
  });
  after(async () => {
    await east?.stop();
    await here?.cleanup();
  });

  test('--dry-run shows the plan and writes nothing', async () => {
    const r = await cli('import', '--registry', east.url, '--token', '${env:EAST_TOKEN}', '--dry-run', '--json');
    assert.equal(r.code, 0, r.stderr);
    const { data } = JSON.parse(r.stdout);
    assert.deepEqual(data.plan.map((p: { entry: string; service: string; action: string }) => [p.entry, p.service, p.action]), [
      ['local.mcpgw/everything', 'everything', 'create'],
      ['local.mcpgw/weather', 'weather', 'create'],
    ]);
    assert.equal(existsSync(join(here.dir, 'registry.d', 'weather.yaml')), false);
  });

  test('a token is needed where the peer requires one, and is given by reference', async () => {
    const r = await runCli(['import', '--registry', east.url, '--dry-run'], { cwd: here.dir });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /401/);
    assert.match(r.stderr, /--token \$\{env:NAME\}/);
  });

  test('import writes files to review: the peer gateway as upstream, its credential to fill in, provenance in metadata', async () => {
    const r = await cli('import', '--registry', east.url, '--token', '${env:EAST_TOKEN}', '--search', 'weather', '--no-apply');
    assert.equal(r.code, 0, r.stderr);
    const weather = await yamlOf('weather');
    assert.equal(weather.upstream, `${east.url}/weather/mcp`);
    assert.equal(weather.transport, 'streamable-http');
    assert.deepEqual(weather.headers, { Authorization: '${env:WEATHER_AUTHORIZATION}' });
    assert.equal(weather.description, 'Forecasts and warnings for any place, hour by hour, from the national weather services of forty countries', 'the whole description, not the schema\'s 100 characters');
    assert.deepEqual(weather.tags, ['weather', 'forecast']);
    assert.equal(weather.metadata.cost_center, 'CC-1234');
    assert.equal(weather.metadata.owner, 'weather-team');
    assert.equal(weather.metadata.imported_from.registry, east.url);
    assert.equal(weather.metadata.imported_from.name, 'local.mcpgw/weather');
    assert.equal(weather.metadata.imported_from.version, '2.1.0');
    assert.ok(weather.metadata.imported_from.updated_at);
    assert.equal(existsSync(join(here.dir, 'registry.d', 'everything.yaml')), false, '--search kept to weather');
    const sources = JSON.parse(await readFile(join(here.dir, '.mcpgw', 'registry-sources.json'), 'utf8'));
    assert.deepEqual(sources.sources.map((s: { url: string; token: string; search: string }) => [s.url, s.token, s.search]), [[east.url, '${env:EAST_TOKEN}', 'weather']], 'the token stays a reference');
    assert.equal((await runCli(['validate'], { cwd: here.dir })).code, 0, 'the written files validate');
  });

  test('nothing is overwritten without --force; sync asks only for what changed since (updated_since)', async () => {
    const again = await cli('import', '--registry', east.url, '--token', '${env:EAST_TOKEN}', '--search', 'weather', '--no-apply', '--json');
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout).data.plan.map((p: { action: string }) => p.action), ['unchanged']);

    const quiet = await cli('sync', '--dry-run', '--json');
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.deepEqual(JSON.parse(quiet.stdout).data.synced[0].plan, [], 'nothing changed on the peer since the import');

    await writeFile(join(east.dir, 'registry.d', 'weather.yaml'), WEATHER.replace('version: 2.1.0', 'version: 2.2.0'));
    const changed = await cli('sync', '--json', '--no-apply');
    assert.equal(changed.code, 0, changed.stderr);
    const plan = JSON.parse(changed.stdout).data.synced[0].plan;
    assert.deepEqual(plan.map((p: { entry: string; version: string; action: string }) => [p.entry, p.version, p.action]), [['local.mcpgw/weather', '2.2.0', 'exists']]);
    assert.equal((await yamlOf('weather')).metadata.version, '2.1.0', 'not overwritten');

    const forced = await cli('sync', '--force', '--no-apply', '--json');
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(JSON.parse(forced.stdout).data.synced[0].plan.map((p: { action: string }) => p.action), ['overwrite']);
    assert.equal((await yamlOf('weather')).metadata.version, '2.2.0');
  });
});

describe('import --registry from recorded official registry responses (replayed from fixtures)', () => {
  let server: Server;
  let base: string;
  const queries: URLSearchParams[] = [];
  let here: { dir: string; cleanup(): Promise<void> };

  before(async () => {
    const pages = [await readFile(join(OFFICIAL, 'servers-page-1.json'), 'utf8'), await readFile(join(OFFICIAL, 'servers-page-2.json'), 'utf8')];
    const cursor = JSON.parse(pages[0]!).metadata.nextCursor as string;
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/v0.1/servers') return void res.writeHead(404).end('{"error":"not found"}');
      queries.push(url.searchParams);
      res.writeHead(200, { 'content-type': 'application/json' }).end(url.searchParams.get('cursor') === cursor ? pages[1] : pages[0]);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    here = await tempProject();
  });
  after(async () => {
    server?.close();
    await here?.cleanup();
  });

  test('every page is read (nextCursor), remotes and packages become definitions, what needs a value says so', async () => {
    const dry = await runCli(['import', '--registry', base, '--dry-run', '--json'], { cwd: here.dir });
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(queries.map((q) => [q.get('version'), q.get('cursor')]), [['latest', null], ['latest', 'io.github.user/remote-weather:2.1.0']]);
    const plan = JSON.parse(dry.stdout).data.plan as { entry: string; action: string; reason?: string }[];
    assert.deepEqual(plan.map((p) => [p.entry, p.action]), [
      ['io.decisionrules/mcp-server', 'create'],
      ['io.github.user/remote-weather', 'refused'],
      ['io.github.user/local-weather', 'create'],
    ]);
    assert.match(plan[1]!.reason!, /--var host=/);

    const r = await runCli(['import', '--registry', base, '--var', 'host=api.example.com', '--var', 'config_path=/etc/weather.json', '--no-apply', '--json'], { cwd: here.dir });
    assert.equal(r.code, 0, r.stderr);
    const remote = parse(await readFile(join(here.dir, 'registry.d', 'remote-weather.yaml'), 'utf8'));
    assert.equal(remote.upstream, 'https://api.example.com/mcp');
    assert.equal(remote.metadata.imported_from.registry, base);
    assert.equal(remote.metadata.imported_from.updated_at, '2025-12-12T09:30:00Z');
    assert.equal(remote.metadata.title, 'Remote Weather');
    const sse = parse(await readFile(join(here.dir, 'registry.d', 'mcp-server.yaml'), 'utf8'));
    assert.equal(sse.transport, 'sse');
    const local = parse(await readFile(join(here.dir, 'registry.d', 'local-weather.yaml'), 'utf8'));
    assert.equal(local.transport, 'stdio');
    assert.equal(local.command.run[0], 'npx');
    assert.deepEqual(local.command.env, { API_KEY: '${env:API_KEY}' }, 'a secret environment variable becomes a reference to fill in');
  });
});
