// The pure policy core: table tests of decide, isToolAllowed and registryRights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scopesFileSchema } from '../../../src/core/config/scopes.js';
import { decide, isToolAllowed, registryRights, scopesForGroups } from '../../../src/core/policy/policy.js';

const policy = scopesFileSchema.parse({
  groups: { developers: ['everyday'], readers: ['read-only'], admins: ['admin'], typo: ['undefined-scope'] },
  scopes: {
    everyday: { servers: { weather: { tools: ['get_*'] }, 'git-*': { tools: ['status'] } }, registry: ['list'] },
    'read-only': { servers: { weather: { methods: ['initialize', 'tools/list'] } } },
    admin: { servers: { '*': { methods: ['*'], tools: ['*'], prompts: ['*'], resources: ['*'] } }, registry: ['list', 'register', 'enable', 'disable', 'remove'] },
  },
});

const cases: [string, string[], { server: string; method?: string; name?: string }, boolean][] = [
  ['a granted tool by pattern', ['developers'], { server: 'weather', method: 'tools/call', name: 'get_forecast' }, true],
  ['a tool outside the pattern', ['developers'], { server: 'weather', method: 'tools/call', name: 'set_alert' }, false],
  ['tools/list from the default methods', ['developers'], { server: 'weather', method: 'tools/list' }, true],
  ['a method not in the defaults', ['developers'], { server: 'weather', method: 'weather/admin' }, false],
  ['logging/setLevel from the defaults (inspector-cli sets it on connect)', ['developers'], { server: 'weather', method: 'logging/setLevel' }, true],
  ['completion, prompt and resource lists from the defaults', ['developers'], { server: 'weather', method: 'completion/complete' }, true],
  ['server/discover from the defaults', ['developers'], { server: 'weather', method: 'server/discover' }, true],
  ['prompts/get by default method, but the prompt is not granted', ['developers'], { server: 'weather', method: 'prompts/get', name: 'secret' }, false],
  ['resources/read by default method, but the URI is not granted', ['developers'], { server: 'weather', method: 'resources/read', name: 'file:///etc/passwd' }, false],
  ['a server matched by pattern', ['developers'], { server: 'git-main', method: 'tools/call', name: 'status' }, true],
  ['an unknown server', ['developers'], { server: 'payments', method: 'tools/list' }, false],
  ['no groups at all', [], { server: 'weather', method: 'tools/list' }, false],
  ['a group naming no defined scope', ['typo'], { server: 'weather', method: 'tools/list' }, false],
  ['a scope without tools/call cannot call tools', ['readers'], { server: 'weather', method: 'tools/call', name: 'get_forecast' }, false],
  ['tools/call without a tool name', ['developers'], { server: 'weather', method: 'tools/call' }, false],
  ['a request without a body needs a right on the server', ['readers'], { server: 'weather' }, true],
  ['a request without a body on another server', ['readers'], { server: 'git-main' }, false],
  ['admin may read any resource', ['admins'], { server: 'anything', method: 'resources/read', name: 'file:///etc/hosts' }, true],
  ['tools/call and the tool must come from the same grant', ['readers', 'developers'], { server: 'weather', method: 'tools/call', name: 'get_x' }, true],
];

for (const [name, groups, request, allowed] of cases) {
  test(`decide: ${name} → ${allowed ? 'allow' : 'deny'}`, () => {
    const decision = decide(policy, { groups }, request);
    assert.equal(decision.allowed, allowed, decision.reason);
    if (!decision.allowed) assert.ok(decision.missing.includes(request.server));
  });
}

test('isToolAllowed answers for a group set, as the search filter uses it', () => {
  assert.equal(isToolAllowed(policy, ['developers'], 'weather', 'get_forecast'), true);
  assert.equal(isToolAllowed(policy, ['developers'], 'weather', 'delete_city'), false);
  assert.equal(isToolAllowed(policy, ['admins'], 'weather', 'delete_city'), true);
});

test('registryRights unions the rights of every scope, in canonical order', () => {
  assert.deepEqual(registryRights(policy, ['developers']), ['list']);
  assert.deepEqual(registryRights(policy, ['developers', 'admins']), ['list', 'register', 'enable', 'disable', 'remove']);
  assert.deepEqual(registryRights(policy, ['nobody']), []);
});

test('scopesForGroups ignores unknown groups and undefined scopes', () => {
  assert.deepEqual(scopesForGroups(policy, ['developers', 'typo', 'stranger', 'developers']), ['everyday']);
});

test('a grant with params: decides tools/call on the 2026-07-28 Mcp-Param-* values (present, matching, from a version whose servers check them)', () => {
  const regional = scopesFileSchema.parse({
    groups: { eu: ['eu'], both: ['eu', 'any-region'] },
    scopes: {
      eu: { servers: { warehouse: { tools: ['query'], params: { Region: ['eu-*'] } } } },
      'any-region': { servers: { warehouse: { tools: ['query'] } } },
    },
  });
  const call = (groups: string[], params?: Record<string, string>, paramsChecked = true) => decide(regional, { groups }, { server: 'warehouse', method: 'tools/call', name: 'query', params, paramsChecked }).allowed;
  assert.equal(call(['eu'], { region: 'eu-west1' }), true);
  assert.equal(call(['eu'], { region: 'us-east1' }), false);
  assert.equal(call(['eu'], {}), false, 'a constrained param must be sent');
  assert.equal(call(['eu'], { region: 'eu-west1' }, false), false, 'an older version: the header is no basis');
  assert.equal(call(['both'], { region: 'us-east1' }), true, 'another grant without params still allows it');
  assert.equal(decide(regional, { groups: ['eu'] }, { server: 'warehouse', method: 'tools/list' }).allowed, true, 'params constrain tools/call only');
  assert.equal(scopesFileSchema.safeParse({ scopes: { s: { servers: { w: { params: { Region: [] } } } } } }).success, false, 'an empty list of values is an error');
});
