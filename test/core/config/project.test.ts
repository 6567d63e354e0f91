import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProjectChecked } from '../../../src/core/config/project.js';
import { formatIssue } from '../../../src/core/config/issues.js';
import { checkoutWith, tempProject } from '../../../testkit/cli.js';

const checkout = checkoutWith;

test('problems across all files are reported together, sorted by file and line', async (t) => {
  const p = await checkout({
    'mcpgw.yaml': 'caddy:\n  admin: 0.0.0.0:2019\n',
    'registry.d/a.yaml': 'name: a\npath: /shared\nupstream: http://h:1/mcp\n',
    'registry.d/b.yaml': 'name: b\npath: /shared\nupstream: http://h:2/mcp\n',
    'scopes.yml': 'groups:\n  devs: [missing]\nscopes:\n  basic:\n    servers:\n      ghost: {}\n',
  });
  t.after(p.cleanup);
  const { project, issues } = await loadProjectChecked(p.dir);
  assert.equal(project, undefined);
  const lines = issues.map(formatIssue);
  assert.deepEqual(issues.map((i) => i.code), ['E_INVALID_VALUE', 'E_DUPLICATE_PATH', 'E_UNKNOWN_SCOPE', 'W_UNKNOWN_SERVER'], lines.join('\n'));
  assert.match(lines[0]!, /^mcpgw.yaml:2:3 caddy.admin: must be a loopback address or unix socket/);
  assert.match(lines[1]!, /^registry.d\/b.yaml:2:1 path: "\/shared" is already used by registry.d\/a.yaml/);
  assert.match(lines[2]!, /^scopes.yml:2:10 groups.devs\[0\]: scope "missing" is not defined/);
  assert.equal(issues[3]?.severity, 'warning');
});

test('a checkout with no files loads with safe defaults', async (t) => {
  // A bare directory (only loaded here, never applied): the settings are mcpgw's defaults.
  const p = await tempProject(undefined, { empty: true });
  t.after(p.cleanup);
  const { project, issues } = await loadProjectChecked(p.dir);
  assert.deepEqual(issues, []);
  assert.equal(project?.settings.caddy.admin, '127.0.0.1:2019');
  assert.equal(project?.settings.gateway.listen, '127.0.0.1:8080');
  assert.deepEqual(project?.services, []);
});

test('paths reserved for mcpgw and nested paths are refused', async (t) => {
  const p = await checkout({
    'registry.d/a.yaml': 'name: a\npath: /mcpgw\nupstream: http://h:1/mcp\n',
    'registry.d/b.yaml': 'name: b\npath: /tools\nupstream: http://h:1/mcp\n',
    'registry.d/c.yaml': 'name: c\npath: /tools/c\nupstream: http://h:1/mcp\n',
  });
  t.after(p.cleanup);
  const { issues } = await loadProjectChecked(p.dir);
  assert.deepEqual(issues.map((i) => i.code).sort(), ['E_NESTED_PATH', 'E_RESERVED_PATH']);
});

test('daemons behind Caddy (authd, registry server, stdio host) must listen on loopback', async (t) => {
  const p = await checkout({ 'mcpgw.yaml': 'authd:\n  listen: 0.0.0.0:8081\nstdio_host:\n  listen: 10.0.0.5:8083\nregistry_server:\n  listen: "[::1]:8082"\n' });
  t.after(p.cleanup);
  const { issues } = await loadProjectChecked(p.dir);
  assert.deepEqual(issues.map((i) => i.field), ['authd.listen', 'stdio_host.listen']);
  assert.match(formatIssue(issues[0]!), /^mcpgw.yaml:2:3 authd.listen: must be a loopback address/);
});
