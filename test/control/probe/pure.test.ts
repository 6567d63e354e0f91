import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceSchema } from '../../../src/core/config/service.js';
import { diffTools, gatedServices, toolFingerprint } from '../../../src/control/probe/index.js';
import { partitionByApproval } from '../../../src/core/state/tool-approvals.js';
import { nextCheckDelay } from '../../../src/control/probe/probe-schedule.js';
import { classifyFailure } from '../../../src/control/probe/classify.js';
import { ProbeTimeoutError } from '../../../src/control/probe/errors.js';
import { sampleTool } from '../../../testkit/sdk-server.js';

const service = (fields: Record<string, unknown>) => ({ ...serviceSchema.parse({ upstream: 'http://127.0.0.1:9/mcp', ...fields }), file: '' });

test('diffTools finds added, removed and rewritten tools, whatever the key order of their schemas', () => {
  const before = [sampleTool('a'), sampleTool('b'), { name: 'c', inputSchema: { type: 'object', properties: { x: { type: 'string' } } } }];
  const after = [
    sampleTool('a'),
    { name: 'c', inputSchema: { properties: { x: { type: 'number' } }, type: 'object' } },
    sampleTool('d'),
  ];
  const diff = diffTools(before, after);
  assert.deepEqual(diff.added.map((t) => t.name), ['d']);
  assert.deepEqual(diff.removed.map((t) => t.name), ['b']);
  assert.deepEqual(diff.changed.map((c) => [c.name, c.fields]), [['c', ['inputSchema']]]);
  const reordered = { inputSchema: sampleTool('a').inputSchema, description: sampleTool('a').description, name: 'a' };
  assert.equal(toolFingerprint(reordered), toolFingerprint(sampleTool('a')));
  assert.equal(diffTools([sampleTool('a')], [{ ...sampleTool('a'), _meta: { requestId: 7 } }]).changed.length, 0, '_meta is not a change');
});

test('an approved tool stays usable; a new or rewritten one is withheld', () => {
  const result = partitionByApproval([sampleTool('a'), sampleTool('b', 'rewritten'), sampleTool('c')], [sampleTool('a'), sampleTool('b')]);
  assert.deepEqual(result.tools.map((t) => t.name), ['a']);
  assert.deepEqual(result.withheld.map((w) => [w.name, w.reason]), [['b', 'changed'], ['c', 'new']]);
});

test('back-off doubles the wait per consecutive failure up to the ceiling; jitter stays within ±10 %', () => {
  const fixed = { jitter: 0 };
  assert.equal(nextCheckDelay(30_000, 0, fixed), 30_000);
  assert.equal(nextCheckDelay(30_000, 1, fixed), 60_000);
  assert.equal(nextCheckDelay(30_000, 3, fixed), 240_000);
  assert.equal(nextCheckDelay(30_000, 50, fixed), 300_000);
  assert.equal(nextCheckDelay(600_000, 2, fixed), 600_000, 'the ceiling never shortens a long interval');
  assert.equal(nextCheckDelay(10_000, 0, { random: () => 0 }), 9_000);
  assert.equal(nextCheckDelay(10_000, 0, { random: () => 1 }), 11_000);
});

test('gatedServices withholds only enabled, gated services that are unhealthy or timed out', () => {
  const project = {
    services: [
      service({ name: 'down', health: { gate: true } }),
      service({ name: 'slow', health: { gate: true } }),
      service({ name: 'locked', health: { gate: true } }),
      service({ name: 'fresh', health: { gate: true } }),
      service({ name: 'ungated' }),
      service({ name: 'off', enabled: false, health: { gate: true } }),
    ],
  };
  const at = new Date().toISOString();
  const gated = gatedServices(project, {
    down: { status: 'unhealthy', reason: 'connection refused', checkedAt: at },
    slow: { status: 'timeout', checkedAt: at },
    locked: { status: 'auth-required', checkedAt: at },
    ungated: { status: 'unhealthy', checkedAt: at },
    off: { status: 'unhealthy', checkedAt: at },
  });
  assert.deepEqual([...gated].sort(), ['down', 'slow']);
});

test('failures are classified: a timeout, a 401, a refused connection, a missing command', () => {
  assert.equal(classifyFailure(new ProbeTimeoutError(5000)).status, 'timeout');
  assert.equal(classifyFailure(Object.assign(new Error('Streamable HTTP error: unauthorized'), { code: 401 })).status, 'auth-required');
  const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 }) });
  assert.deepEqual(classifyFailure(refused), { status: 'unhealthy', reason: 'connection refused (127.0.0.1:9)' });
  assert.deepEqual(classifyFailure(new Error('SSE error: TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:9')), { status: 'unhealthy', reason: 'connection refused (127.0.0.1:9)' });
  assert.deepEqual(classifyFailure(Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT', path: 'nope' })), { status: 'unhealthy', reason: 'command not found: nope' });
});
