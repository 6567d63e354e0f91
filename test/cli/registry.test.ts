import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempProject, REPO_ROOT } from '../../testkit/cli.js';

const WEATHER = ['register', '--name', 'weather', '--path', '/weather', '--upstream', 'http://127.0.0.1:9000/mcp', '--transport', 'streamable-http', '--description', 'Forecasts by city', '--tag', 'forecast'];

async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await readdir(join(dir, 'registry.d')).catch(() => [])) out[f] = await readFile(join(dir, 'registry.d', f), 'utf8');
  return out;
}

test('register writes registry.d/weather.yaml and list --json shows it', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  const reg = await runCli(WEATHER, { cwd: p.dir });
  assert.equal(reg.code, 0, reg.stderr);
  const text = await readFile(join(p.dir, 'registry.d', 'weather.yaml'), 'utf8');
  assert.match(text, /^name: weather$/m);
  assert.match(text, /^upstream: http:\/\/127.0.0.1:9000\/mcp$/m);
  const list = await runCli(['list', '--json'], { cwd: p.dir });
  assert.equal(list.code, 0, list.stderr);
  const services = JSON.parse(list.stdout).data.services;
  assert.equal(services.length, 1);
  assert.deepEqual(
    { name: services[0].name, path: services[0].path, enabled: services[0].enabled, transport: services[0].transport, tags: services[0].tags, description: services[0].description },
    { name: 'weather', path: '/weather', enabled: true, transport: 'streamable-http', tags: ['forecast'], description: 'Forecasts by city' },
  );
  const again = await runCli(WEATHER, { cwd: p.dir });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /service "weather" already exists[^\n]*\nhint: .*--force/);
  assert.equal((await runCli([...WEATHER, '--force'], { cwd: p.dir })).code, 0);
});

test('disable then enable flip the service and keep a comment written by hand', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  await runCli(WEATHER, { cwd: p.dir });
  const file = join(p.dir, 'registry.d', 'weather.yaml');
  const handWritten = `# Owned by team-weather; page #weather-oncall\n${(await readFile(file, 'utf8')).replace('tags:', '# tags drive search\ntags:')}`;
  await writeFile(file, handWritten);
  assert.equal((await runCli(['disable', 'weather'], { cwd: p.dir })).code, 0);
  const disabled = await readFile(file, 'utf8');
  assert.match(disabled, /^enabled: false$/m);
  assert.equal(disabled, handWritten.replace('enabled: true', 'enabled: false'), 'only the enabled line changed');
  const list = JSON.parse((await runCli(['list', '--json', '--disabled'], { cwd: p.dir })).stdout).data.services;
  assert.deepEqual(list.map((s: { name: string }) => s.name), ['weather']);
  assert.equal((await runCli(['enable', 'weather'], { cwd: p.dir })).code, 0);
  assert.equal(await readFile(file, 'utf8'), handWritten);
});

test('list filters by state and tag; show prints one service', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  await runCli(WEATHER, { cwd: p.dir });
  await runCli(['register', '--name', 'git', '--upstream', 'http://127.0.0.1:9001/mcp', '--tag', 'code', '--disabled'], { cwd: p.dir });
  const names = async (...args: string[]) => JSON.parse((await runCli(['list', '--json', ...args], { cwd: p.dir })).stdout).data.services.map((s: { name: string }) => s.name);
  assert.deepEqual(await names(), ['git', 'weather']);
  assert.deepEqual(await names('--enabled'), ['weather']);
  assert.deepEqual(await names('--disabled'), ['git']);
  assert.deepEqual(await names('--tag', 'code'), ['git']);
  const table = await runCli(['list'], { cwd: p.dir });
  assert.match(table.stdout, /^NAME\s+PATH\s+ENABLED/m);
  assert.doesNotMatch(table.stdout, /\u001b\[/, 'no colour when not a TTY');
  const show = await runCli(['show', 'git', '--json'], { cwd: p.dir });
  assert.equal(JSON.parse(show.stdout).data.definition.upstream, 'http://127.0.0.1:9001/mcp');
  assert.equal((await runCli(['show', 'nope'], { cwd: p.dir })).code, 1);
});

test('remove deletes the definition; removing an unknown service is exit 1', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  await runCli(WEATHER, { cwd: p.dir });
  assert.equal((await runCli(['remove', 'weather'], { cwd: p.dir })).code, 0);
  assert.deepEqual(await snapshotDir(p.dir), {});
  const again = await runCli(['remove', 'weather'], { cwd: p.dir });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /no service "weather"/);
});

const BAD_INPUTS: [string, Record<string, string>, string[], RegExp][] = [
  ['malformed YAML', { 'registry.d/weather.yaml': 'name: weather\nupstream: [http://x\n' }, ['enable', 'weather'], /registry.d\/weather.yaml:\d+:\d+/],
  ['unknown field', { 'registry.d/weather.yaml': 'name: weather\nupstream: http://h:1/mcp\ncolour: red\n' }, ['disable', 'weather'], /registry.d\/weather.yaml:3:1 colour: unknown field/],
  ['bad URL', { 'registry.d/weather.yaml': 'name: weather\nupstream: ftp://h/mcp\nenabled: false\n' }, ['enable', 'weather'], /registry.d\/weather.yaml:2:1 upstream: "ftp:\/\/h\/mcp" is not an http\(s\) URL/],
  ['name/file mismatch', { 'registry.d/weather.yaml': 'name: forecast\nupstream: http://h:1/mcp\n' }, ['disable', 'weather'], /registry.d\/weather.yaml:1:1 name: "forecast" does not match the file name/],
  ['inline secret', { 'registry.d/weather.yaml': 'name: weather\nupstream: http://h:1/mcp\nheaders:\n  Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abc\n' }, ['disable', 'weather'], /registry.d\/weather.yaml:4:3 headers.Authorization: header "Authorization" carries a credential/],
  ['duplicate path', { 'registry.d/weather.yaml': 'name: weather\npath: /w\nupstream: http://h:1/mcp\n', 'registry.d/forecast.yaml': 'name: forecast\npath: /w\nupstream: http://h:2/mcp\n' }, ['disable', 'weather'], /registry.d\/weather.yaml:2:1 path: "\/w" is already used by registry.d\/forecast.yaml/],
  ['unknown scope reference', { 'registry.d/weather.yaml': 'name: weather\nupstream: http://h:1/mcp\n', 'scopes.yml': 'groups:\n  devs: [weather-users]\n' }, ['validate'], /scopes.yml:2:10 groups.devs\[0\]: scope "weather-users" is not defined/],
];

for (const [what, files, args, expected] of BAD_INPUTS) {
  test(`bad input (${what}) gives file:line, exit 1 and changes no file`, async (t) => {
    const p = await tempProject();
    t.after(p.cleanup);
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(p.dir, 'registry.d'), { recursive: true });
      await writeFile(join(p.dir, name), text);
    }
    const before = await snapshotDir(p.dir);
    const validate = await runCli(['validate'], { cwd: p.dir });
    assert.equal(validate.code, 1);
    assert.match(validate.stderr, expected);
    const edit = await runCli(args, { cwd: p.dir });
    assert.equal(edit.code, 1, edit.stderr);
    assert.match(edit.stderr, /error: .*:\d+:\d+ /);
    assert.deepEqual(await snapshotDir(p.dir), before);
  });
}

test('register refuses an invalid definition before writing anything', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  const r = await runCli(['register', '--name', 'weather', '--upstream', 'http://h:1/mcp', '--header', 'Authorization=Bearer abcdefghijklmnopqrstuvwxyz'], { cwd: p.dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /headers.Authorization: .*credential.*\$\{env:/);
  assert.doesNotMatch(r.stderr, /abcdefghijklmnopqrstuvwxyz/);
  assert.deepEqual(await snapshotDir(p.dir), {});
  const missing = await runCli(['register', '--name', 'weather'], { cwd: p.dir });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /--upstream or --command is required/);
});

test('validate --json reports ok and every issue for scripts', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  await mkdir(join(p.dir, 'registry.d'));
  await writeFile(join(p.dir, 'registry.d', 'a.yaml'), 'name: a\nupstream: nope\nextra: 1\n');
  const r = await runCli(['validate', '--json'], { cwd: p.dir });
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout);
  assert.equal(report.ok, false);
  assert.equal(report.error.code, 'ERR_CONFIG_INVALID');
  assert.deepEqual(report.error.issues.map((i: { field: string }) => i.field), ['upstream', 'extra']);
});

test('import turns reference JSON and an MCP Registry server.json into definitions that validate', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  const fixtures = join(REPO_ROOT, 'test', 'fixtures', 'import');
  const r = await runCli(['import', join(fixtures, 'reference-currenttime.json'), join(fixtures, 'server.json'), '--json'], { cwd: p.dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).data.imported.map((x: { service: string }) => x.service), ['currenttime', 'weather-forecasts']);
  assert.equal((await runCli(['validate'], { cwd: p.dir })).code, 0);
  const services = JSON.parse((await runCli(['show', 'currenttime', '--json'], { cwd: p.dir })).stdout).data;
  assert.equal(services.definition.upstream, 'http://currenttime-server:8000/mcp', 'the reference system serves proxy_pass_url + mcp');
  assert.equal(services.definition.tools[0].name, 'current_time_by_timezone');
  assert.equal(services.definition.metadata.license, 'MIT');
  const weather = await readFile(join(p.dir, 'registry.d', 'weather-forecasts.yaml'), 'utf8');
  assert.match(weather, /X-API-Key: \$\{env:WEATHER_FORECASTS_X_API_KEY\}/);
  assert.match(weather, /transport: streamable-http/);
  const bad = await runCli(['import', join(REPO_ROOT, 'package.json')], { cwd: p.dir });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /not a known format/);
});

test('import renames with --name/--path, fills --var, and writes nothing when one file is refused', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  const corpus = join(REPO_ROOT, 'test', 'fixtures', 'import', 'corpus');
  const refused = await runCli(['import', join(corpus, 'reference-2026-xquik.json'), join(corpus, 'reference-2025-06-mcpgw.json')], { cwd: p.dir });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /"mcpgw" is reserved .*--name mcpgw-imported/);
  const written = await readdir(join(p.dir, 'registry.d')).catch(() => [] as string[]);
  assert.deepEqual(written.filter((f) => f.startsWith('xquik')), [], 'nothing half-written');
  const renamed = await runCli(['import', join(corpus, 'reference-2025-06-mcpgw.json'), '--name', 'old-registry', '--no-apply', '--json'], { cwd: p.dir });
  assert.equal(renamed.code, 0, renamed.stderr);
  assert.match(await readFile(join(p.dir, 'registry.d', 'old-registry.yaml'), 'utf8'), /path: \/old-registry\n/);
  const noVar = await runCli(['import', join(corpus, 'official-2025-12-11-with-remote.json')], { cwd: p.dir });
  assert.equal(noVar.code, 1);
  assert.match(noVar.stderr, /--var host=/);
  const filled = await runCli(['import', join(corpus, 'official-2025-12-11-with-remote.json'), '--var', 'host=weather.internal', '--no-apply'], { cwd: p.dir });
  assert.equal(filled.code, 0, filled.stderr);
  assert.match(await readFile(join(p.dir, 'registry.d', 'remote-weather.yaml'), 'utf8'), /upstream: https:\/\/weather.internal\/mcp/);
  assert.equal((await runCli(['validate'], { cwd: p.dir })).code, 0);
});

test('20 concurrent enable/disable processes on different services lose no update', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  await mkdir(join(p.dir, 'registry.d'));
  const names = Array.from({ length: 20 }, (_, i) => `svc-${i}`);
  for (const [i, name] of names.entries()) {
    await writeFile(join(p.dir, 'registry.d', `${name}.yaml`), `# service ${i}\nname: ${name}\nupstream: http://127.0.0.1:${9000 + i}/mcp\nenabled: ${i % 2 === 0}\n`);
  }
  // Even services get disabled, odd ones enabled: every file must flip.
  const results = await Promise.all(names.map((name, i) => runCli([i % 2 === 0 ? 'disable' : 'enable', name], { cwd: p.dir, timeoutMs: 120_000 })));
  assert.deepEqual(results.map((r) => r.code), names.map(() => 0), results.map((r) => r.stderr).join('\n'));
  const listed = JSON.parse((await runCli(['list', '--json'], { cwd: p.dir })).stdout).data.services as { name: string; enabled: boolean }[];
  for (const [i, name] of names.entries()) {
    assert.equal(listed.find((s) => s.name === name)?.enabled, i % 2 === 1, name);
    assert.match(await readFile(join(p.dir, 'registry.d', `${name}.yaml`), 'utf8'), new RegExp(`^# service ${i}$`, 'm'));
  }
  const leftovers = (await readdir(join(p.dir, 'registry.d'))).filter((f) => f.startsWith('.'));
  assert.deepEqual(leftovers, [], 'no temp or lock files left behind');
});

test('concurrent edits of the same file are serialised by the lock', async (t) => {
  const { setServiceEnabled, editService } = await import('../../src/control/registry/service-edit.js');
  const { projectPaths } = await import('../../src/core/config/project.js');
  const p = await tempProject();
  t.after(p.cleanup);
  await mkdir(join(p.dir, 'registry.d'));
  await writeFile(join(p.dir, 'registry.d', 'a.yaml'), 'name: a\nupstream: http://h:1/mcp\ntags: []\n');
  const paths = projectPaths(p.dir);
  await Promise.all(Array.from({ length: 10 }, (_, i) => editService(paths, 'a', (doc) => {
    const tags = (doc.toJS().tags as string[]) ?? [];
    doc.set('tags', [...tags, `t${i}`]);
  })));
  const tags = (await readFile(join(p.dir, 'registry.d', 'a.yaml'), 'utf8')).match(/t\d/g) ?? [];
  assert.equal(new Set(tags).size, 10, 'every concurrent edit kept');
  assert.equal(await setServiceEnabled(paths, 'a', true), true, 'enabled key added where missing');
});

test('every command has --help with examples; init scaffolds a valid checkout', async (t) => {
  const p = await tempProject(undefined, { empty: true });
  t.after(p.cleanup);
  for (const cmd of ['init', 'validate', 'register', 'list', 'show', 'enable', 'disable', 'remove', 'import']) {
    const r = await runCli([cmd, '--help'], { cwd: p.dir });
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, /Examples:\n\s+\$ mcpgw /, cmd);
  }
  const init = await runCli(['init'], { cwd: p.dir });
  assert.equal(init.code, 0, init.stderr);
  assert.equal((await runCli(['validate'], { cwd: p.dir })).code, 0);
  const again = await runCli(['init', '--json'], { cwd: p.dir });
  assert.equal(JSON.parse(again.stdout).data.created.length, 0, 'init never overwrites without --force');
  const usage = await runCli(['list', '--bogus'], { cwd: p.dir });
  assert.equal(usage.code, 1);
});
