import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadServiceText } from '../../../src/core/config/project.js';
import { formatIssue } from '../../../src/core/config/issues.js';

const load = (text: string, file = 'registry.d/weather.yaml') => loadServiceText(file, text);

test('a minimal service gets its defaults: path from the name, streamable-http, enabled', () => {
  const { value, issues } = load('name: weather\nupstream: http://127.0.0.1:9000/mcp\n');
  assert.deepEqual(issues, []);
  assert.equal(value?.path, '/weather');
  assert.equal(value?.transport, 'streamable-http');
  assert.equal(value?.enabled, true);
  assert.deepEqual(value?.upstreams, ['http://127.0.0.1:9000/mcp']);
});

test('a command makes a stdio service; command and upstream together are rejected', () => {
  assert.equal(load('name: weather\ncommand: npx -y server\n').value?.transport, 'stdio');
  const both = load('name: weather\ncommand: x\nupstream: http://h:1/mcp\n');
  assert.equal(both.value, undefined);
  assert.match(both.issues.map(formatIssue).join('\n'), /command: cannot be combined with "upstream"/);
});

test('every problem in a file is reported with line, column, field and a hint', () => {
  const text = ['name: weather', 'upstream: not-a-url', 'colour: blue', 'transport: carrier-pigeon', 'tags: oops'].join('\n');
  const lines = load(text).issues.map(formatIssue);
  assert.equal(lines.length, 4, lines.join('\n'));
  assert.ok(lines.includes('registry.d/weather.yaml:2:1 upstream: "not-a-url" is not an http(s) URL — use http://host:port/mcp (or a list of such URLs to load-balance)'), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('registry.d/weather.yaml:3:1 colour: unknown field "colour" — allowed fields:')));
  assert.ok(lines.some((l) => l.startsWith('registry.d/weather.yaml:4:1 transport: "carrier-pigeon" is not one of')));
  assert.ok(lines.some((l) => l.startsWith('registry.d/weather.yaml:5:1 tags:')));
});

test('malformed YAML names the line and asks to fix the syntax', () => {
  const [issue] = load('name: weather\nupstream: [http://x\n').issues;
  assert.equal(issue?.code, 'E_YAML_SYNTAX');
  assert.equal(issue?.file, 'registry.d/weather.yaml');
  assert.ok(issue?.line && issue.line >= 2);
});

test('a name that differs from the file name is an error with both fixes', () => {
  const { issues } = load('name: forecast\nupstream: http://h:1/mcp\n');
  assert.equal(issues[0]?.code, 'E_NAME_MISMATCH');
  assert.match(formatIssue(issues[0]!), /rename the file to forecast.yaml or set name: weather/);
});

test('inline secrets in headers are rejected without echoing the value; references pass', () => {
  const bad = load('name: weather\nupstream: http://h:1/mcp\nheaders:\n  Authorization: Bearer abcdefghijklmnopqrstuv\n  X-Trace: ghp_abcdefghijklmnopqrstuvwxyz0123\n');
  assert.deepEqual(bad.issues.map((i) => i.code), ['E_INLINE_SECRET', 'E_INLINE_SECRET']);
  assert.ok(bad.issues.every((i) => !formatIssue(i).includes('abcdefghijklmnop')), 'the secret is not printed');
  assert.equal(bad.issues[0]?.line, 4);
  const good = load('name: weather\nupstream: http://h:1/mcp\nheaders:\n  Authorization: "Bearer ${env:WEATHER_TOKEN}"\n  X-Team: weather\n');
  assert.deepEqual(good.issues, []);
});

test('paths with "..", a query or a trailing slash are refused', () => {
  for (const path of ['/a/../b', '/a?x=1', '/a/', 'noslash']) {
    const { issues } = load(`name: weather\npath: "${path}"\nupstream: http://h:1/mcp\n`);
    assert.equal(issues[0]?.field, 'path', path);
  }
});

test('several upstreams load-balance; each must be a URL', () => {
  assert.deepEqual(load('name: weather\nupstream: [http://a:1/mcp, http://b:1/mcp]\n').value?.upstreams, ['http://a:1/mcp', 'http://b:1/mcp']);
  const { issues } = load('name: weather\nupstream: [http://a:1/mcp, nope]\n');
  assert.equal(issues[0]?.field, 'upstream[1]');
});
