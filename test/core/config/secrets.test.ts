import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSecrets, literalSecretReason, SecretResolutionError } from '../../../src/core/config/secrets.js';

test('env and file references resolve at use time; relative files from the checkout', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-secret-'));
  await writeFile(join(dir, 'token'), 's3cr3t\n');
  assert.equal(resolveSecrets('Bearer ${env:TOK}', dir, { TOK: 'abc' }), 'Bearer abc');
  assert.equal(resolveSecrets('${file:token}', dir, {}), 's3cr3t');
});

test('a missing reference fails with a message naming the reference, not a value', () => {
  assert.throws(() => resolveSecrets('${env:NOPE}', '/', {}), (e: unknown) => e instanceof SecretResolutionError && /NOPE/.test(e.message));
});

test('plain values and references pass the inline-secret check; credentials do not', () => {
  assert.equal(literalSecretReason('X-Team', 'weather'), undefined);
  assert.equal(literalSecretReason('Authorization', 'Bearer ${env:T}'), undefined);
  assert.ok(literalSecretReason('Authorization', 'Basic dXNlcjpwYXNzd29yZA=='));
  assert.ok(literalSecretReason('X-Api-Key', 'anything'));
  assert.ok(literalSecretReason('X-Custom', 'sk-abcdefghijklmnopqrstu'));
});
