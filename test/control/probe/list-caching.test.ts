// The 2026-07-28 caching hints of a server's tool list (ttlMs, cacheScope) as mcpgw's tool-list
// caches honour them: the probe's snapshot keeps them, a `private` list is shared with no one
// (search index, registry server, web UI read usableTools), a short TTL brings the next check forward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeServices, selectServices, usableTools } from '../../../src/control/probe/index.js';
import { readSnapshot } from '../../../src/core/state/snapshots.js';
import { usableToolSource } from '../../../src/discovery/search/index-rebuild.js';
import { isShareable, listCachingOf, mergeListCaching, MIN_RECHECK_MS, recheckIntervalMs } from '../../../src/core/state/list-caching.js';
import { startModernServer } from '../../../testkit/modern-mcp-server.js';
import { checkoutWith } from './project.js';

test('caching hints: read as the spec says, merged over pages (shortest TTL, private wins), and when to fetch again', () => {
  assert.deepEqual(listCachingOf({ ttlMs: -5, cacheScope: 'private' }), { ttlMs: 0, cacheScope: 'private' });
  assert.deepEqual(listCachingOf({ ttlMs: '10', cacheScope: 'everyone' }), {});
  assert.deepEqual(mergeListCaching([{ ttlMs: 60_000, cacheScope: 'public' }, { ttlMs: 30_000, cacheScope: 'private' }, {}]), { ttlMs: 30_000, cacheScope: 'private' });
  assert.equal(recheckIntervalMs(30_000, undefined), 30_000, 'no hint: the check interval');
  assert.equal(recheckIntervalMs(30_000, { ttlMs: 3_600_000 }), 30_000, 'a long TTL does not delay the health check');
  assert.equal(recheckIntervalMs(30_000, { ttlMs: 10_000 }), 10_000, 'stale sooner: fetched sooner');
  assert.equal(recheckIntervalMs(30_000, { ttlMs: 0 }), MIN_RECHECK_MS, 'ttlMs 0 does not make the probe spin');
  assert.equal(isShareable({ cacheScope: 'private' }), false);
  assert.equal(isShareable({}), true);
});

test('a tool list marked cacheScope: private is kept in the snapshot but never shared: search and the registry see only the static tools', async (t) => {
  const server = await startModernServer({ ttlMs: 10_000, cacheScope: 'private' });
  t.after(server.close);
  const checkout = await checkoutWith({ personal: { upstream: server.url, tools: [{ name: 'declared', description: 'declared in git', inputSchema: { type: 'object' } }] } });
  t.after(checkout.cleanup);
  const project = await checkout.load();
  const [probed] = await probeServices(project, selectServices(project));
  assert.equal(probed!.health.status, 'healthy', probed!.health.reason);
  assert.deepEqual(probed!.caching, { ttlMs: 10_000, cacheScope: 'private' });
  const snapshot = await readSnapshot(checkout.layout, 'personal');
  assert.ok(snapshot!.tools.some((tool) => tool.name === 'echo'), 'the probe recorded what it saw');
  assert.equal(snapshot!.caching?.cacheScope, 'private');
  const svc = project.services[0]!;
  assert.deepEqual((await usableTools(checkout.layout, svc)).tools.map((tool) => tool.name), ['declared']);
  assert.deepEqual((await usableToolSource(svc, checkout.layout)).map((tool) => tool.name), ['declared'], 'the search index is built without the private list');
});

test('a public list is shared as before, with its TTL recorded', async (t) => {
  const server = await startModernServer({ ttlMs: 3_600_000, cacheScope: 'public' });
  t.after(server.close);
  const checkout = await checkoutWith({ shared: { upstream: server.url } });
  t.after(checkout.cleanup);
  const project = await checkout.load();
  await probeServices(project, selectServices(project));
  assert.deepEqual((await readSnapshot(checkout.layout, 'shared'))!.caching, { ttlMs: 3_600_000, cacheScope: 'public' });
  assert.ok((await usableToolSource(project.services[0]!, checkout.layout)).some((tool) => tool.name === 'wetter-für-köln'));
});
