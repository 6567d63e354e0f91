// Limit fields in scopes.yml, registry.d and mcpgw.yaml: good ones load, bad ones get file:line:column and a fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProjectChecked } from '../../../src/core/config/project.js';
import { formatIssue } from '../../../src/core/config/issues.js';
import { limitWindow, parseRate } from '../../../src/core/config/limits.js';
import { checkoutWith } from '../../../testkit/cli.js';

const checkout = checkoutWith;

const SERVICE = 'name: weather\nupstream: http://127.0.0.1:9/mcp\n';

test('rates read as calls per period; a burst sets the window (whole seconds, never above the rate)', () => {
  assert.deepEqual(parseRate('60/min'), { count: 60, periodSeconds: 60, text: '60/min' });
  assert.deepEqual(parseRate('5/10s'), { count: 5, periodSeconds: 10, text: '5/10s' });
  assert.deepEqual(parseRate('1000 / h'), { count: 1000, periodSeconds: 3600, text: '1000 / h' });
  assert.equal(parseRate('60 per minute'), undefined);
  assert.equal(parseRate('0/min'), undefined);
  assert.deepEqual(limitWindow(parseRate('60/min')!), { points: 60, seconds: 60 });
  assert.deepEqual(limitWindow(parseRate('60/min')!, 10), { points: 10, seconds: 10 });
  assert.deepEqual(limitWindow(parseRate('100/min')!, 7), { points: 7, seconds: 5 });
});

test('limits in scopes.yml, registry.d and mcpgw.yaml load', async (t) => {
  const p = await checkout({
    'mcpgw.yaml': 'limits:\n  redis: { url: "${env:REDIS_URL}", on_unavailable: closed }\n',
    'registry.d/weather.yaml': `${SERVICE}limits:\n  rate: 600/min\n  burst: 50\n  concurrent_per_caller: 2\n  lease: 20s\n  tools:\n    get_forecast: { rate: 100/min }\n`,
    'scopes.yml': 'groups: { devs: [basic] }\nscopes:\n  basic:\n    servers:\n      weather:\n        tools: [get_forecast]\n        limits: { rate: 60/min, burst: 10, tools: { get_forecast: { rate: 5/min } } }\n',
  });
  t.after(p.cleanup);
  const { project, issues } = await loadProjectChecked(p.dir);
  assert.deepEqual(issues.map(formatIssue), []);
  assert.equal(project!.settings.limits.redis?.on_unavailable, 'closed');
  assert.equal(project!.settings.limits.redis?.command_timeout, 100);
  assert.equal(project!.services[0]!.limits.lease, 20_000);
  assert.equal(project!.scopes.scopes.basic!.servers.weather!.limits!.tools.get_forecast!.rate!.count, 5);
});

test('a Redis password written inline in mcpgw.yaml is refused', async (t) => {
  const p = await checkout({ 'mcpgw.yaml': 'limits:\n  redis:\n    url: redis://:hunter2@127.0.0.1:6379\n' });
  t.after(p.cleanup);
  const lines = (await loadProjectChecked(p.dir)).issues.map(formatIssue);
  assert.deepEqual(lines, ['mcpgw.yaml:3:5 limits.redis.url: holds a password written inline — write the whole URL by reference: url: "${env:REDIS_URL}"']);
});

test('bad limits are located with a fix', async (t) => {
  const p = await checkout({
    'mcpgw.yaml': 'limits:\n  redis: { url: redis://127.0.0.1:6379, on_unavailable: maybe }\n',
    'registry.d/weather.yaml': `${SERVICE}limits:\n  rate: 600 per minute\n  concurrent_per_caller: 0\n`,
    'scopes.yml': 'scopes:\n  basic:\n    servers:\n      weather:\n        limits:\n          burst: 3\n          tools:\n            get_forecast: { rate: 10/s, burst: 3 }\n          per: caller\n',
  });
  t.after(p.cleanup);
  const { issues } = await loadProjectChecked(p.dir);
  const lines = issues.map(formatIssue);
  const find = (re: RegExp) => assert.ok(lines.some((l) => re.test(l)), `${re} in\n${lines.join('\n')}`);
  find(/^mcpgw\.yaml:2:\d+ limits\.redis\.on_unavailable: "maybe" is not one of "open", "closed" — use open \(count on each node alone\) or closed/);
  find(/^registry\.d\/weather\.yaml:4:3 limits\.rate: "600 per minute" is not a rate — use calls per period: 60\/min/);
  find(/^registry\.d\/weather\.yaml:5:3 limits\.concurrent_per_caller: .* — use a whole number/);
  find(/^scopes\.yml:6:11 scopes\.basic\.servers\.weather\.limits\.burst: needs a rate beside it/);
  find(/^scopes\.yml:8:\d+ scopes\.basic\.servers\.weather\.limits\.tools\.get_forecast\.burst: 3 refills in under a second at 10\/s; limits count whole seconds — use burst: 10 or more/);
  find(/^scopes\.yml:9:11 scopes\.basic\.servers\.weather\.limits\.per: unknown field "per"/);
});
