// One CLI contract (issue 14, items 4, 7, 10–13): a checkout is required, table output survives
// `| head`, validate reports every problem at once, one --json envelope, all-or-nothing edits,
// and read-only commands that show what they can when one registry.d file is broken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAIN, runCli, tempProject, TSX } from '../../testkit/cli.js';

async function checkout(files: Record<string, string>) {
  const p = await tempProject();
  await mkdir(join(p.dir, 'registry.d'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(p.dir, name), text);
  return p;
}

const svc = (name: string, extra = '') => `name: ${name}\nupstream: http://127.0.0.1:9/mcp\nhealth: { enabled: false }\n${extra}`;

test('-C to a directory without a checkout is exit 1 for every command but init, and creates nothing', async (t) => {
  const p = await tempProject(undefined, { empty: true });
  t.after(p.cleanup);
  const missing = join(p.dir, 'nonexistent');
  for (const args of [['up'], ['list'], ['status'], ['apply'], ['keys', 'list'], ['disable', 'x']]) {
    const r = await runCli(['-C', missing, ...args], { cwd: p.dir });
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /is not an mcpgw checkout .*the directory does not exist/);
    assert.match(r.stderr, /hint: create one with `mcpgw init /);
  }
  await assert.rejects(access(missing), 'nothing was created');
  const json = await runCli(['-C', p.dir, 'list', '--json'], { cwd: p.dir });
  assert.equal(json.code, 1);
  assert.equal(JSON.parse(json.stdout).error.code, 'ERR_NO_CHECKOUT');
  const init = await runCli(['-C', missing, 'init'], { cwd: p.dir });
  assert.equal(init.code, 0, init.stderr);
  assert.equal((await runCli(['-C', missing, 'validate'], { cwd: p.dir })).code, 0);
});

test('init writes a .gitignore for the state dir and a next step that works from where the user is', async (t) => {
  const p = await tempProject(undefined, { empty: true });
  t.after(p.cleanup);
  const r = await runCli(['init', 'gw'], { cwd: p.dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(await readFile(join(p.dir, 'gw', '.gitignore'), 'utf8'), /^\.mcpgw\/$/m);
  assert.match(r.stderr, /next: mcpgw -C gw validate && mcpgw -C gw up/);
  // An existing .gitignore keeps its lines and gains only what is missing, once.
  await writeFile(join(p.dir, 'gw', '.gitignore'), 'node_modules/');
  await runCli(['init', 'gw'], { cwd: p.dir });
  await runCli(['init', 'gw'], { cwd: p.dir });
  assert.equal(await readFile(join(p.dir, 'gw', '.gitignore'), 'utf8'), 'node_modules/\n.mcpgw/\n');
});

/** Run `mcpgw …args | head -n 1` and report mcpgw's own exit status and stderr. */
function pipedToHead(args: string[], cwd: string): Promise<{ code: number; stderr: string; first: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let first = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Like head -n 1: read the first line, then close the pipe while mcpgw is still writing.
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString().split('\n')[0]!;
      child.stdout.destroy();
    });
    child.on('exit', (code) => resolve({ code: code ?? 2, stderr, first }));
  });
}

test('table output piped into head ends quietly (no EPIPE stack trace): list, status, keys list, find', { timeout: 240_000 }, async (t) => {
  // Enough rows that the output is larger than a pipe's buffer, so mcpgw writes after head left.
  const files: Record<string, string> = { 'mcpgw.yaml': 'search: { embedder: none }\n' };
  for (let i = 0; i < 1200; i++) files[`registry.d/service-${String(i).padStart(4, '0')}.yaml`] = svc(`service-${String(i).padStart(4, '0')}`, `description: a service with a long description so that each row of the table is wide enough ${'x'.repeat(40)}\ntools: [{ name: get_weather_${i}, description: weather forecast for a city }]\n`);
  const p = await checkout(files);
  t.after(p.cleanup);
  const keys = JSON.parse(readFileSync0(await runCli(['keys', 'create', '--name', 'k0', '--group', 'g', '--json'], { cwd: p.dir })));
  assert.equal(keys.ok, true);
  for (const args of [['list'], ['status'], ['keys', 'list'], ['find', 'weather forecast', '--top-k', '1000']]) {
    const r = await pipedToHead(args, p.dir);
    assert.doesNotMatch(r.stderr, /EPIPE|at .*\.js:\d+/, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.code, 0, `${args.join(' ')} exits 0 when its reader stops early: ${r.stderr}`);
    assert.ok(r.first.length > 0);
  }
});

function readFileSync0(r: { code: number; stdout: string; stderr: string }): string {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('validate reports every problem in one pass: a schema error does not hide name mismatch, duplicate path or undefined scope', async (t) => {
  const p = await checkout({
    // Schema error (bad upstream) AND a name that does not match the file AND the path of b.
    'registry.d/a.yaml': 'name: alpha\npath: /shared\nupstream: not-a-url\n',
    'registry.d/b.yaml': 'name: b\npath: /shared\nupstream: http://127.0.0.1:9/mcp\n',
    'registry.d/github.yaml': 'name: github\nupstream: http://127.0.0.1:9/mcp\nheaders:\n  X-Api-Key: ghp_abcdefghijklmnopqrstuvwxyz0123\n',
    // Schema error (unknown field) AND a group naming an undefined scope.
    'scopes.yml': 'groups:\n  devs: [missing]\nscopes:\n  basic:\n    colour: red\n    servers:\n      b: {}\n',
  });
  t.after(p.cleanup);
  const r = await runCli(['validate'], { cwd: p.dir });
  assert.equal(r.code, 1);
  const codes = (re: RegExp) => assert.match(r.stderr, re);
  codes(/registry.d\/a.yaml:3:1 upstream: "not-a-url" is not an http\(s\) URL/);
  codes(/registry.d\/a.yaml:1:1 name: "alpha" does not match the file name "a"/);
  codes(/path: "\/shared" is already used by/);
  codes(/scopes.yml:2:10 groups.devs\[0\]: scope "missing" is not defined/);
  codes(/scopes.yml:\d+:\d+ scopes.basic.colour: unknown field/);
  // The inline-secret hint names this service and this header, not a fixed example.
  codes(/headers.X-Api-Key: .* write it by reference: headers: \{ X-Api-Key: "\$\{env:GITHUB_X_API_KEY\}" \}/);
  assert.doesNotMatch(r.stderr, /abcdefghijklmnop/, 'the secret is not echoed');
  assert.doesNotMatch(r.stderr, /WEATHER_TOKEN/);
});

test('a warning is said once ("warning: file:line …"), not "warning: … warning:"', async (t) => {
  const p = await checkout({ 'registry.d/b.yaml': svc('b'), 'scopes.yml': 'scopes:\n  basic:\n    servers:\n      ghost: {}\n' });
  t.after(p.cleanup);
  const r = await runCli(['validate'], { cwd: p.dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^warning: scopes.yml:4:7 scopes.basic.servers.ghost: no service in registry.d matches "ghost"/m);
  assert.equal(r.stderr.match(/warning:/g)?.length, 1, r.stderr);
});

test('one --json envelope for every command, errors included, with camelCase keys', async (t) => {
  const p = await checkout({ 'registry.d/weather.yaml': svc('weather', 'pin_tools: true\nlimits: { max_body_bytes: 1024 }\n') });
  t.after(p.cleanup);
  const json = async (...args: string[]) => {
    const r = await runCli([...args, '--json'], { cwd: p.dir });
    const parsed = JSON.parse(r.stdout);
    return { code: r.code, ...parsed } as { code: number; ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string; hint?: string } };
  };
  const snake = (v: unknown): string[] =>
    v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [...(/_/.test(k) ? [k] : []), ...snake(x)]) : [];
  const ok = [
    await json('list'),
    await json('show', 'weather'),
    await json('status'),
    await json('validate'),
    await json('keys', 'create', '--name', 'ci', '--group', 'devs'),
    await json('keys', 'list'),
    await json('disable', 'weather', '--no-apply'),
    await json('enable', 'weather', '--no-apply'),
    await json('register', '--name', 'maps', '--upstream', 'http://127.0.0.1:9/mcp', '--no-apply'),
    await json('remove', 'maps', '--no-apply'),
  ];
  for (const r of ok) {
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.code, 0);
    assert.ok(r.data && typeof r.data === 'object' && !Array.isArray(r.data), 'data is an object, never a bare array');
    assert.deepEqual(snake(r.data), [], `camelCase keys only: ${JSON.stringify(r.data)}`);
  }
  assert.deepEqual((ok[6]!.data as { changed: string[] }).changed, ['weather']);
  assert.equal((ok[8]!.data as { registered: string }).registered, 'maps');
  assert.ok(Array.isArray((ok[5]!.data as { keys: unknown[] }).keys));
  const failed = await json('show', 'nope');
  assert.deepEqual({ code: failed.code, ok: failed.ok, error: failed.error?.code }, { code: 1, ok: false, error: 'ERR_SERVICE_NOT_FOUND' });
  assert.match(failed.error!.message, /no service "nope"/);
  const usage = await json('list', '--bogus');
  assert.deepEqual({ code: usage.code, ok: usage.ok, error: usage.error?.code }, { code: 1, ok: false, error: 'ERR_USAGE' });
});

test('disable weather nope writes nothing: every name is checked first', async (t) => {
  const p = await checkout({ 'registry.d/weather.yaml': svc('weather') });
  t.after(p.cleanup);
  const before = await readFile(join(p.dir, 'registry.d', 'weather.yaml'), 'utf8');
  const r = await runCli(['disable', 'weather', 'nope', '--no-apply'], { cwd: p.dir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no service "nope" in registry.d/);
  assert.equal(await readFile(join(p.dir, 'registry.d', 'weather.yaml'), 'utf8'), before);
  assert.deepEqual((await readdir(join(p.dir, 'registry.d'))).sort(), ['weather.yaml']);
});

test('one bad file in registry.d: list, status, find and keys list show the rest and name the bad file', async (t) => {
  const p = await checkout({
    'mcpgw.yaml': 'search: { embedder: none }\n',
    'registry.d/weather.yaml': svc('weather', 'tools: [{ name: get_forecast, description: weather forecast for a city }]\n'),
    'registry.d/broken.yaml': 'name: broken\nupstream: [http://x\n',
  });
  t.after(p.cleanup);
  for (const args of [['list'], ['status'], ['find', 'weather forecast'], ['keys', 'list']]) {
    const r = await runCli(args, { cwd: p.dir });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /registry.d\/broken.yaml(:\d+:\d+)? left out/, args.join(' '));
    if (args[0] !== 'keys') assert.match(r.stdout, /weather/, args.join(' '));
  }
  const listed = JSON.parse((await runCli(['list', '--json'], { cwd: p.dir })).stdout);
  assert.deepEqual(listed.data.services.map((s: { name: string }) => s.name), ['weather']);
  assert.equal(listed.data.leftOut[0].file, 'registry.d/broken.yaml');
  // Commands that change or push still refuse: exit 1, every problem named.
  assert.equal((await runCli(['apply', '--dry-run'], { cwd: p.dir })).code, 1);
});

test('a missing Caddy binary is a runtime failure (exit 2) naming caddy.binary and the install command', async (t) => {
  const p = await checkout({ 'mcpgw.yaml': 'caddy: { binary: /nonexistent/caddy }\n' });
  t.after(p.cleanup);
  const r = await runCli(['up', '--json'], { cwd: p.dir });
  assert.equal(r.code, 2, r.stderr);
  const envelope = JSON.parse(r.stdout);
  assert.equal(envelope.error.code, 'ERR_CADDY_MISSING');
  assert.match(envelope.error.hint, /apt-get install -y caddy/);
  assert.match(envelope.error.hint, /caddy\.binary/);
});
