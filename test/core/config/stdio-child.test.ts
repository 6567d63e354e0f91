// The environment and directory a stdio server gets: the prober and the stdio host use one rule,
// so a probe sees the server as agents will.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceSchema } from '../../../src/core/config/service.js';
import { childEnvironment, childWorkingDirectory } from '../../../src/core/config/stdio-child.js';
import { stdioServerParameters } from '../../../src/control/probe/stdio-parameters.js';
import { childSpec } from '../../../src/gateway/stdio-host/child-spec.js';

const parentEnv = { PATH: '/usr/bin', HOME: '/home/op', SHELL: '/bin/bash', USER: 'op', TERM: 'xterm', SECRET_TOKEN: 's3cret', LANG: 'C.UTF-8', API_KEY: 'k' };
const svc = {
  ...serviceSchema.parse({ name: 'memory', command: { run: ['node', 'server.js'], env: { MODE: 'test', KEY: '${env:API_KEY}' }, env_allow: ['LANG'], cwd: 'servers/memory' } }),
  file: 'registry.d/memory.yaml',
};

test('a stdio child gets PATH, HOME, the env_allow names and command.env resolved — nothing else of mcpgw\'s environment', () => {
  assert.deepEqual(childEnvironment(svc, '/srv/gw', parentEnv), { PATH: '/usr/bin', HOME: '/home/op', LANG: 'C.UTF-8', MODE: 'test', KEY: 'k' });
  assert.equal(childWorkingDirectory(svc, '/srv/gw'), '/srv/gw/servers/memory');
});

test('the prober starts the child with exactly the environment and directory the stdio host gives it', () => {
  const probed = stdioServerParameters(svc, ['node', 'server.js'], '/srv/gw', parentEnv);
  const hosted = childSpec(svc, '/srv/gw', parentEnv);
  assert.deepEqual(probed.env, hosted.resolveEnv());
  assert.equal(probed.cwd, hosted.cwd);
  assert.ok(!('SHELL' in probed.env!) && !('SECRET_TOKEN' in probed.env!));
});
