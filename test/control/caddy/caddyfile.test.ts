// `mcpgw render --caddyfile` must describe the same routes as the JSON render: Caddy itself
// adapts the file and the anatomies are compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QUIET_CADDY_LOGGERS } from '../../../src/control/caddy/access-log.js';
import { configAnatomy, type RouteAnatomy } from '../../../src/control/caddy/route-anatomy.js';
import { REPO_ROOT, runCli, tempProject } from '../../../testkit/cli.js';

const run = promisify(execFile);

/**
 * The anatomies of a JSON render and of Caddy's adaptation of the Caddyfile render, which must
 * match but for one thing: the JSON reports a GET's upstream answer to authd's /stream-open
 * (a subroute's error routes, which Caddy 2.6's Caddyfile cannot express), the Caddyfile does not.
 */
function assertSameAnatomy(fromFile: RouteAnatomy[], fromJson: RouteAnatomy[]): void {
  assert.ok(fromJson.some((a) => a.reportsStreamsTo === '/stream-open'), 'the JSON render reports GET streams');
  assert.ok(fromFile.every((a) => a.reportsStreamsTo === undefined), 'the Caddyfile render does not');
  assert.deepEqual(fromFile, fromJson.map(({ reportsStreamsTo: _, ...rest }) => rest));
}

test('render --caddyfile adapts with `caddy adapt` to the same routes as the JSON render', async (t) => {
  const project = await tempProject('gateway');
  t.after(project.cleanup);
  const json = await runCli(['render'], { cwd: project.dir });
  assert.equal(json.code, 0, json.stderr);
  const file = join(project.dir, 'Caddyfile');
  const caddyfile = await runCli(['render', '--caddyfile', '--out', file], { cwd: project.dir });
  assert.equal(caddyfile.code, 0, caddyfile.stderr);
  const adapted = await run('caddy', ['adapt', '--config', file], { maxBuffer: 16 * 1024 * 1024 });
  const fromFile = JSON.parse(adapted.stdout);
  assertSameAnatomy(configAnatomy(fromFile), configAnatomy(JSON.parse(json.stdout)));
  assert.equal(fromFile.admin.listen, '127.0.0.1:12019');
  // Both renders leave the same module loggers out of Caddy's default log.
  const quiet = (config: { logging: { logs: { default: { exclude: string[] } } } }) => config.logging.logs.default.exclude.filter((n) => !n.startsWith('http.log.access.'));
  assert.deepEqual(quiet(fromFile), [...QUIET_CADDY_LOGGERS]);
  assert.deepEqual(quiet(JSON.parse(json.stdout)), [...QUIET_CADDY_LOGGERS]);
  assert.deepEqual(fromFile.apps.http.servers.srv0.listen, ['127.0.0.1:18080']);
});

test('render --caddyfile uses the checkout\'s own Caddyfile.tmpl when there is one', async (t) => {
  const project = await tempProject('gateway');
  t.after(project.cleanup);
  await cp(join(REPO_ROOT, 'Caddyfile.tmpl'), join(project.dir, 'Caddyfile.tmpl'));
  await writeFile(join(project.dir, 'Caddyfile.tmpl'), '# team template\n{\n\tadmin {{admin}}\n}\n:1 {\n{{routes}}\n}\n');
  const out = await runCli(['render', '--caddyfile'], { cwd: project.dir });
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /^# team template/);
  assert.match(out.stdout, /route @mcpgw-service-weather/);
});

/** A copy of the gateway fixture (its stdio service: memory) as one node of several. */
async function nodeProject(peers: string) {
  const project = await tempProject('gateway');
  const settings = join(project.dir, 'mcpgw.yaml');
  await writeFile(settings, `${await readFile(settings, 'utf8')}node:\n  peers: ${peers}\n`);
  return project;
}

type Route = { '@id'?: string; match?: unknown[]; handle: { handler: string; routes?: Route[]; upstreams?: { dial: string }[] }[] };
const handlersOf = (route: Route): Route['handle'] => route.handle.flatMap((h) => (h.handler === 'subroute' ? h.routes!.flatMap(handlersOf) : [h]));
/**
 * What a session route does, comparable between the JSON render and Caddy's adaptation of the
 * Caddyfile (which writes a response's headers as `headers` handlers of their own): its matchers,
 * its handlers but `headers`, where it proxies to.
 */
const sessionRoutes = (routes: Route[]) =>
  routes
    .filter((r) => JSON.stringify(r).includes('mcpgw_session_'))
    .map((r) => ({
      match: r.match,
      handlers: handlersOf(r).filter((h) => h.handler !== 'headers').map((h) => h.handler),
      dials: handlersOf(r).flatMap((h) => (h.upstreams ?? []).map((u) => u.dial)),
    }));

for (const [form, peers] of [
  ['a map of peers', '{ n1: "127.0.0.11:18080", n2: "127.0.0.12:18080" }'],
  ['a peer template', '"{node}.mcpgw-peers.mcpgw.svc.cluster.local:8080"'],
] as const) {
  test(`with node.peers (${form}), render --caddyfile writes the session-forwarding routes and their error route, which Caddy adapts to the JSON render's`, async (t) => {
    const project = await nodeProject(peers);
    t.after(project.cleanup);
    const json = await runCli(['render'], { cwd: project.dir });
    assert.equal(json.code, 0, json.stderr);
    const file = join(project.dir, 'Caddyfile');
    const out = await runCli(['render', '--caddyfile', '--out', file], { cwd: project.dir });
    assert.equal(out.code, 0, out.stderr);
    const adapted = JSON.parse((await run('caddy', ['adapt', '--config', file], { maxBuffer: 16 * 1024 * 1024 })).stdout);
    const rendered = JSON.parse(json.stdout);
    assertSameAnatomy(configAnatomy(adapted), configAnatomy(rendered));
    const fromFile = sessionRoutes(adapted.apps.http.servers.srv0.routes);
    assert.ok(fromFile.length >= 3, 'the owner routes and at least one forward');
    assert.deepEqual(fromFile, sessionRoutes(rendered.apps.http.servers.mcpgw.routes));
    assert.deepEqual(sessionRoutes(adapted.apps.http.servers.srv0.errors.routes), sessionRoutes(rendered.apps.http.servers.mcpgw.errors.routes));
  });
}

test('with node.peers, the render is the same on every node: it names no node (Caddy reads $MCPGW_NODE_ID), so a dry run from anywhere compares the same routes', async (t) => {
  const project = await nodeProject('{ n1: "127.0.0.11:18080", n2: "127.0.0.12:18080" }');
  t.after(project.cleanup);
  const as = async (node: string) => {
    const r = await runCli(['render'], { cwd: project.dir, env: { MCPGW_NODE_ID: node } });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const n1 = await as('n1');
  assert.match(n1, /mcpgw-session-forward-n1/);
  assert.match(n1, /mcpgw-session-forward-n2/);
  assert.equal(await as('n2'), n1);
  assert.equal(await as('laptop'), n1);
});

test('a team Caddyfile.tmpl without {{error_routes}} is refused with its line and the fix when the routes need error routes (node.peers)', async (t) => {
  const project = await nodeProject('{ n1: "127.0.0.11:18080" }');
  t.after(project.cleanup);
  await writeFile(join(project.dir, 'Caddyfile.tmpl'), '{\n\tadmin {{admin}}\n}\n:1 {\n{{routes}}\n\thandle_errors {\n\t\trespond 502\n\t}\n}\n');
  const out = await runCli(['render', '--caddyfile'], { cwd: project.dir });
  assert.equal(out.code, 1, out.stderr);
  assert.match(out.stderr, /Caddyfile\.tmpl:6: the template has no \{\{error_routes\}\} placeholder/);
  assert.match(out.stderr, /hint: put a line \{\{error_routes\}\} first inside handle_errors/);
});
