// The pure core of what a person sees and may change, by scopes.yml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scopesFileSchema } from '../../../src/core/config/scopes.js';
import { serviceSchema } from '../../../src/core/config/service.js';
import { registryView } from '../../../src/discovery/web/registry-view.js';
import type { ServiceStatus } from '../../../src/control/probe/service-status.js';

const policy = scopesFileSchema.parse({
  groups: { admins: ['admin'], devs: ['everyday'], viewers: ['viewer'], togglers: ['toggle'] },
  scopes: {
    admin: { servers: { '*': { tools: ['*'] } }, registry: ['list', 'register', 'enable', 'disable', 'remove'] },
    everyday: { servers: { weather: { tools: ['get_*'] } } },
    viewer: { registry: ['list'] },
    toggle: { servers: { weather: {} }, registry: ['disable'] },
  },
});
const service = (name: string, extra: Record<string, unknown> = {}) => ({ ...serviceSchema.parse({ name, upstream: 'http://127.0.0.1:9000/mcp', ...extra }), file: `registry.d/${name}.yaml` });
const services = [service('weather', { tags: ['forecast'] }), service('github', { enabled: false })];
const statuses: ServiceStatus[] = [{ name: 'weather', enabled: true, status: 'healthy', toolCount: 3, withheld: 0, latencyMs: 12, checkedAt: '2026-01-01T00:00:00Z', gated: false }];

test('a person sees every service with the list right, else only the servers scopes.yml lets them use', () => {
  assert.deepEqual(registryView(policy, ['admins'], services, statuses).services.map((s) => s.name), ['weather', 'github']);
  assert.deepEqual(registryView(policy, ['viewers'], services, statuses).services.map((s) => s.name), ['weather', 'github']);
  assert.deepEqual(registryView(policy, ['devs'], services, statuses).services.map((s) => s.name), ['weather']);
  assert.deepEqual(registryView(policy, ['nobody'], services, statuses).services, []);
});

test('each control follows its registry right: enable, disable, and register for edits, refresh and new services', () => {
  const cases: [string, { enable: boolean; disable: boolean; edit: boolean; refresh: boolean }, boolean][] = [
    ['admins', { enable: true, disable: true, edit: true, refresh: true }, true],
    ['viewers', { enable: false, disable: false, edit: false, refresh: false }, false],
    ['devs', { enable: false, disable: false, edit: false, refresh: false }, false],
    ['togglers', { enable: false, disable: true, edit: false, refresh: false }, false],
  ];
  for (const [group, may, mayRegister] of cases) {
    const view = registryView(policy, [group], services, statuses);
    const weather = view.services.find((s) => s.name === 'weather')!;
    assert.deepEqual({ enable: weather.may.enable, disable: weather.may.disable, edit: weather.may.edit, refresh: weather.may.refresh }, may, group);
    assert.equal(view.mayRegister, mayRegister, group);
  }
});

test('statistics count services, enabled ones, healthy enabled ones and their tools', () => {
  const view = registryView(policy, ['admins'], services, statuses);
  assert.deepEqual(view.stats, { services: 2, enabled: 1, healthy: 1, tools: 3 });
  const weather = view.services[0]!;
  assert.deepEqual([weather.status, weather.latencyMs, weather.toolCount, weather.usable], ['healthy', 12, 3, true]);
  assert.equal(view.services[1]!.status, 'unknown');
});
