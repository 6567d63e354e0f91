// The pure limit core: which limits a request spends, under which keys, for whom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scopesFileSchema } from '../../../src/core/config/scopes.js';
import { serviceSchema, type ServiceDefinition } from '../../../src/core/config/service.js';
import { decide } from '../../../src/core/policy/policy.js';
import { callerLimits, limitCharges } from '../../../src/core/policy/limits.js';
import type { McpCall } from '../../../src/core/wire/mcp-request.js';
import type { Identity } from '../../../src/core/identity/identity.js';

type Caller = Pick<Identity, 'kind' | 'subject' | 'groups'>;

const policy = scopesFileSchema.parse({
  groups: { developers: ['everyday'], admins: ['admin'], both: ['admin', 'everyday'] },
  scopes: {
    everyday: {
      servers: {
        weather: { tools: ['get_*', 'alert'], limits: { rate: '60/min', burst: 10, tools: { get_forecast: { rate: '5/10s' }, 'get_*': { rate: '20/min' } } } },
        'git-*': { tools: ['status'], limits: { rate: '30/min' } },
      },
    },
    admin: { servers: { '*': { methods: ['*'], tools: ['*'] } } },
  },
});

function service(name: string, limits: Record<string, unknown> = {}): ServiceDefinition {
  return { ...serviceSchema.parse({ name, upstream: 'http://127.0.0.1:9/mcp', limits }), file: `registry.d/${name}.yaml` };
}

const weather = service('weather', { rate: '600/min', tools: { alert: { rate: '1/min' } }, concurrent_per_caller: 2, timeout: '45s' });
const alice: Caller = { kind: 'oidc', subject: 'alice', groups: ['developers'] };
const bob: Caller = { kind: 'oidc', subject: 'bob', groups: ['developers'] };
const root: Caller = { kind: 'api-key', subject: 'api-key:root', groups: ['admins'] };

const tool = (name: string, id: number = 1): McpCall => ({ method: 'tools/call', name, id });

function charges(who: Caller, svc: ServiceDefinition, calls: McpCall[]) {
  const decided = calls.map((call) => ({ call, decision: decide(policy, who, { server: svc.name, method: call.method, name: call.name }) }));
  return limitCharges({ policy, service: svc, identity: who, calls: decided }).map((c) => `${c.name} ×${c.points} [${c.rule.points}/${c.rule.seconds}s] ${c.key}`);
}

const cases: [string, Caller, ServiceDefinition, McpCall[], string[]][] = [
  ['a tool call spends the scope, its tool patterns, the service and the concurrency cap', alice, weather, [tool('get_forecast')], [
    'scope everyday on weather ×1 [10/10s] scope|everyday|weather|weather|oidc:alice',
    'scope everyday on weather, tool get_forecast ×1 [5/10s] scope|everyday|weather|weather|tool|get_forecast|oidc:alice',
    'scope everyday on weather, tool get_* ×1 [20/60s] scope|everyday|weather|weather|tool|get_*|oidc:alice',
    'service weather ×1 [600/60s] svc|weather',
    'service weather, concurrent calls per caller ×1 [2/45s] lease|weather|oidc:alice',
  ]],
  ['another caller has own scope counters and shares the service counter', bob, weather, [tool('alert')], [
    'scope everyday on weather ×1 [10/10s] scope|everyday|weather|weather|oidc:bob',
    'service weather ×1 [600/60s] svc|weather',
    'service weather, tool alert ×1 [1/60s] svc|weather|tool|alert',
    'service weather, concurrent calls per caller ×1 [2/45s] lease|weather|oidc:bob',
  ]],
  ['tools/list spends the rates but no tool limit or lease', alice, weather, [{ method: 'tools/list', id: 2 }], [
    'scope everyday on weather ×1 [10/10s] scope|everyday|weather|weather|oidc:alice',
    'service weather ×1 [600/60s] svc|weather',
  ]],
  ['notifications and answers to the server spend nothing', alice, weather, [{ method: 'notifications/initialized' }, { id: 7 }], []],
  ['a batch counts each call', alice, weather, [tool('get_forecast', 1), tool('get_forecast', 2), tool('alert', 3)], [
    'scope everyday on weather ×3 [10/10s] scope|everyday|weather|weather|oidc:alice',
    'scope everyday on weather, tool get_forecast ×2 [5/10s] scope|everyday|weather|weather|tool|get_forecast|oidc:alice',
    'scope everyday on weather, tool get_* ×2 [20/60s] scope|everyday|weather|weather|tool|get_*|oidc:alice',
    'service weather ×3 [600/60s] svc|weather',
    'service weather, concurrent calls per caller ×3 [2/45s] lease|weather|oidc:alice',
    'service weather, tool alert ×1 [1/60s] svc|weather|tool|alert',
  ]],
  ['the granting scope decides: admin has no scope limits, the upstream limits still hold', root, weather, [tool('alert')], [
    'service weather ×1 [600/60s] svc|weather',
    'service weather, tool alert ×1 [1/60s] svc|weather|tool|alert',
    'service weather, concurrent calls per caller ×1 [2/45s] lease|weather|api-key:api-key:root',
  ]],
  ['a pattern grant gives each server its own budget', alice, service('git-main'), [tool('status')], ['scope everyday on git-main ×1 [30/60s] scope|everyday|git-*|git-main|oidc:alice']],
  ['a denied call spends nothing', alice, weather, [tool('delete_all')], []],
  ['a service without limits and a scope without them spend nothing', root, service('plain'), [tool('x')], []],
];

for (const [name, who, svc, calls, expected] of cases) {
  test(`limitCharges: ${name}`, () => assert.deepEqual(charges(who, svc, calls), expected));
}

test('callerLimits lists what applies to a caller, per service; nothing for a service the caller is not granted', () => {
  const listed = callerLimits(policy, [weather, service('git-main'), service('payments', { rate: '5/s' })], alice).map((l) => `${l.server} ${l.name} ${l.declared} ${l.per}`);
  assert.deepEqual(listed, [
    'weather scope everyday on weather 60/min, burst 10 caller',
    'weather scope everyday on weather, tool get_forecast 5/10s caller',
    'weather scope everyday on weather, tool get_* 20/min caller',
    'weather service weather 600/min service',
    'weather service weather, tool alert 1/min service',
    'weather service weather, concurrent calls per caller 2 per 45s lease caller',
    'git-main scope everyday on git-main 30/min caller',
  ]);
});
