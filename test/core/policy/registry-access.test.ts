// Who may see and change what in the registry: the one rule the CLI, the web UI and the
// registry MCP server share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scopesFileSchema } from '../../../src/core/config/scopes.js';
import { LOCAL_OPERATOR, mayChange, maySeeService, mayUseService, rightsOf, RIGHT_FOR, type Actor } from '../../../src/core/policy/registry-access.js';

const policy = scopesFileSchema.parse({
  groups: { admins: ['admin'], viewers: ['viewer'], devs: ['everyday'], togglers: ['toggle'] },
  scopes: {
    admin: { servers: { '*': { tools: ['*'] } }, registry: ['list', 'register', 'enable', 'disable', 'remove'] },
    viewer: { registry: ['list'] },
    everyday: { servers: { weather: { tools: ['get_*'] } } },
    toggle: { servers: { weather: {} }, registry: ['enable', 'disable'] },
  },
});
const person = (group: string): Actor => ({ kind: 'person', subject: group, groups: [group] });

test('a service is seen with the list right or a grant on it; hidden otherwise', () => {
  assert.equal(maySeeService(policy, person('viewers'), 'github'), true, 'list shows every service');
  assert.equal(mayUseService(policy, person('viewers'), 'github'), false, '…without the use of it');
  assert.equal(maySeeService(policy, person('devs'), 'weather'), true, 'a grant shows that service');
  assert.equal(maySeeService(policy, person('devs'), 'github'), false);
  assert.equal(maySeeService(policy, LOCAL_OPERATOR, 'anything'), true, 'the local operator sees everything');
});

test('each change needs its right; refreshing needs register (seeing a service is not enough)', () => {
  assert.deepEqual(RIGHT_FOR, { register: 'register', edit: 'register', enable: 'enable', disable: 'disable', remove: 'remove', refresh: 'register' });
  assert.equal(mayChange(policy, person('devs'), 'refresh'), false);
  assert.equal(mayChange(policy, person('viewers'), 'refresh'), false);
  assert.equal(mayChange(policy, person('togglers'), 'disable'), true);
  assert.equal(mayChange(policy, person('togglers'), 'refresh'), false);
  assert.equal(mayChange(policy, person('admins'), 'refresh'), true);
  assert.deepEqual(rightsOf(policy, LOCAL_OPERATOR), ['list', 'register', 'enable', 'disable', 'remove']);
});
