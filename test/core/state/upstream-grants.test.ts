// The per-user upstream grant store: tokens only encrypted (AES-256-GCM), bound to their owner
// (a file copied to another user's name does not decrypt), another key reads nothing, and an
// admin can list and remove grants without the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grantKey, UpstreamGrantStore } from '../../../src/core/state/upstream-grants.js';

const KEY = grantKey('k'.repeat(16) + 'another-sixteen!');
const alice = { issuer: 'https://idp.example.com', subject: 'alice', service: 'github' };
const grant = { ...alice, authorization_server: 'https://github.example.com', client_id: 'mcpgw', connected_at: '2026-01-01T00:00:00.000Z', access_token: 'gho_access_token_of_alice', refresh_token: 'ghr_refresh_token_of_alice', expires_at: 1 };

test('a grant round-trips, its tokens never in clear, the file mode 0600', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-grants-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = new UpstreamGrantStore(join(dir, 'g'), KEY);
  await store.save(grant);
  assert.deepEqual(await store.load(alice), grant);
  const text = await readFile(store.fileOf(alice), 'utf8');
  assert.ok(!text.includes('gho_') && !text.includes('ghr_'));
  assert.equal((await stat(store.fileOf(alice))).mode & 0o777, 0o600);
  assert.equal(await store.load({ ...alice, subject: 'bob' }), undefined);
});

test('a grant file put under another owner\'s name, or read with another key, does not decrypt', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-grants-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = new UpstreamGrantStore(dir, KEY);
  await store.save(grant);
  const mallory = { ...alice, subject: 'mallory' };
  await copyFile(store.fileOf(alice), store.fileOf(mallory));
  await assert.rejects(store.load(mallory), { code: 'ERR_GRANT_UNREADABLE' });
  await assert.rejects(new UpstreamGrantStore(dir, grantKey('x'.repeat(40))).load(alice), { code: 'ERR_GRANT_UNREADABLE' });
});

test('without the key an admin lists (no tokens) and removes grants; a short key is refused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-grants-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await new UpstreamGrantStore(dir, KEY).save(grant);
  const keyless = new UpstreamGrantStore(dir);
  const [listed] = await keyless.list();
  assert.equal(listed?.subject, 'alice');
  assert.ok(!JSON.stringify(listed).includes('gho_'));
  await assert.rejects(keyless.load(alice), { code: 'ERR_GRANT_KEY_MISSING' });
  assert.equal(await keyless.remove(alice), true);
  assert.deepEqual(await keyless.list(), []);
  assert.throws(() => grantKey('short'), { code: 'ERR_GRANT_KEY_WEAK' });
});
