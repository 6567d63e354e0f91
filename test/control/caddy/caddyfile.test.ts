// `mcpgw render --caddyfile` must describe the same routes as the JSON render: Caddy itself
// adapts the file and the anatomies are compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configAnatomy } from '../../../src/control/caddy/route-anatomy.js';
import { REPO_ROOT, runCli, tempProject } from '../../../testkit/cli.js';

const run = promisify(execFile);

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
  assert.deepEqual(configAnatomy(fromFile), configAnatomy(JSON.parse(json.stdout)));
  assert.equal(fromFile.admin.listen, '127.0.0.1:12019');
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
