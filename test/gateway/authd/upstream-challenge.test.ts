// What the client hears when an upstream refuses (pure): per upstream_auth mode, a 401 or a
// 403 insufficient_scope challenge becomes a JSON-RPC error naming the next step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { challengeParams, relayedChallengeAnswer } from '../../../src/gateway/authd/upstream-challenge.js';

const svc = (mode: 'static' | 'token_exchange' | 'delegated_oauth') => ({ name: 'github', upstream_auth: mode === 'static' ? { mode } : mode === 'token_exchange' ? { mode, audience: 'gh' } : { mode, client_id: 'c', scopes: [] } }) as never;
const error = (mode: Parameters<typeof svc>[0], status: number, challenge?: string) => {
  const answer = relayedChallengeAnswer(svc(mode), 'github', status, challenge);
  assert.equal(answer.status, 403, 'never 401: that would mean the gateway token is bad');
  return JSON.parse(answer.body!).error as { code: number; message: string; data: Record<string, unknown> };
};

test('challenge parameters are read from a Bearer challenge', () => {
  assert.deepEqual(challengeParams('Bearer resource_metadata="https://x/.well-known/oauth-protected-resource", error="insufficient_scope", scope="repo read:org"'), { error: 'insufficient_scope', scope: 'repo read:org' });
  assert.deepEqual(challengeParams(undefined), {});
});

test('delegated OAuth: a 401 says reconnect, a scope challenge says reconnect asking for the scope', () => {
  const reauth = error('delegated_oauth', 401, 'Bearer error="invalid_token"');
  assert.equal(reauth.data.code, 'ERR_UPSTREAM_REAUTH_REQUIRED');
  assert.equal(reauth.message, 'github no longer accepts your connected account (invalid_token) — reconnect: mcpgw connect github');
  const scope = error('delegated_oauth', 403, 'Bearer error="insufficient_scope", scope="repo read:org"');
  assert.equal(scope.data.code, 'ERR_UPSTREAM_INSUFFICIENT_SCOPE');
  assert.equal(scope.message, 'github needs scope repo read:org on your account — reconnect asking for it: mcpgw connect github --scope repo --scope read:org');
  assert.equal(scope.data.scope, 'repo read:org');
});

test('token exchange and static: the fix is the admin\'s, and the message says which setting', () => {
  assert.match(error('token_exchange', 403, 'Bearer error="insufficient_scope", scope="admin"').message, /ask an admin to add it to upstream_auth\.scope of github/);
  assert.match(error('token_exchange', 401).message, /refused the token exchanged for you — ask an admin to check upstream_auth of github/);
  assert.match(error('static', 401).message, /refused the gateway's credential — ask an admin to check the headers: of github/);
  const forbidden = error('static', 403);
  assert.equal(forbidden.data.code, 'ERR_UPSTREAM_FORBIDDEN');
  assert.equal(forbidden.code, -32003);
});
