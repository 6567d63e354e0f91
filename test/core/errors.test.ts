// The one error type's edges: each kind maps to one exit code (the README's table), one HTTP
// status, one JSON-RPC code and one MCP tool error result — the same answer from every front door.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asMcpgwError, httpErrorAnswer, httpStatusOf, jsonRpcErrorOf, McpgwError, toolErrorResult, type ErrorKind } from '../../src/core/errors.js';
import { EXIT, exitCodeOf } from '../../src/cli/exit-codes.js';
import { describeError } from '../../src/cli/error-report.js';
import { RegistryRightError, ChangeRefusedError } from '../../src/control/registry/errors.js';
import { ServiceNotFoundError } from '../../src/core/config/service-files.js';
import { REPO_ROOT } from '../../testkit/cli.js';

/** kind → exit code, HTTP status, JSON-RPC code: the table each edge implements once. */
const EDGES: Record<ErrorKind, [exit: number, http: number, rpc: number]> = {
  'invalid-input': [1, 400, -32600],
  'not-found': [1, 404, -32602],
  exists: [1, 409, -32009],
  'too-large': [1, 413, -32600],
  unauthenticated: [4, 401, -32001],
  denied: [4, 403, -32003],
  conflict: [2, 409, -32009],
  limited: [2, 429, -32004],
  unavailable: [2, 503, -32002],
  runtime: [2, 500, -32603],
};

test('every kind maps to one exit code, HTTP status and JSON-RPC code', () => {
  for (const [kind, [exit, http, rpc]] of Object.entries(EDGES) as [ErrorKind, [number, number, number]][]) {
    const err = new McpgwError('ERR_X', 'x', kind);
    assert.equal(exitCodeOf(kind), exit, `${kind}: exit code`);
    assert.equal(describeError(err).exitCode, exit, `${kind}: the CLI reports the exit code of its kind`);
    assert.equal(httpStatusOf(kind), http, `${kind}: HTTP status`);
    assert.equal(httpErrorAnswer(err).status, http, `${kind}: HTTP answer`);
    assert.equal((jsonRpcErrorOf(7, err) as unknown as { error: { code: number } }).error.code, rpc, `${kind}: JSON-RPC code`);
  }
});

test('the exit codes the CLI uses are the ones the README documents', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('### `--json`'));
  const documented = [...table.matchAll(/^\| (\d) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2]!] as const);
  assert.deepEqual(documented.map(([code]) => code), [0, 1, 2, 3, 4]);
  assert.deepEqual(Object.values(EXIT), [0, 1, 2, 3, 4]);
  const meaning = new Map(documented);
  assert.match(meaning.get(EXIT.INVALID)!, /invalid input/);
  assert.match(meaning.get(EXIT.RUNTIME)!, /runtime failure/);
  assert.match(meaning.get(EXIT.DENIED)!, /denied/);
});

test('a missing registry right is "denied" at every edge: exit 4, HTTP 403, an MCP tool error naming the right', () => {
  const err = new RegistryRightError('enable', 'ann', 'enabling weather');
  assert.ok(err instanceof McpgwError);
  assert.equal(describeError(err).exitCode, EXIT.DENIED);
  assert.deepEqual(httpErrorAnswer(err), { status: 403, body: { error: 'ERR_RIGHT_MISSING', message: err.message, hint: err.hint, details: { missing: 'enable' } } });
  const result = toolErrorResult(err);
  assert.equal(result.isError, true);
  assert.deepEqual(result.structuredContent, { error: { code: 'ERR_RIGHT_MISSING', kind: 'denied', message: err.message, hint: err.hint, missing: 'enable' } });
  assert.deepEqual(jsonRpcErrorOf(1, err), { jsonrpc: '2.0', id: 1, error: { code: -32003, message: `${err.message} — ${err.hint}`, data: { code: 'ERR_RIGHT_MISSING', hint: err.hint, missing: 'enable' } } });
});

test('a refused change and an unknown service are invalid input: exit 1, HTTP 400 and 404', () => {
  const refused = new ChangeRefusedError('memory runs a local command; it has no upstream to change', 'edit command:');
  assert.equal(describeError(refused).exitCode, EXIT.INVALID);
  assert.equal(httpErrorAnswer(refused).status, 400);
  const missing = new ServiceNotFoundError('nope');
  assert.equal(describeError(missing).exitCode, EXIT.INVALID);
  assert.equal(httpErrorAnswer(missing).status, 404);
});

test('an error that is not ours is a runtime failure at every edge, its message kept', () => {
  const err = asMcpgwError(new TypeError('boom'));
  assert.equal(err.kind, 'runtime');
  assert.deepEqual(httpErrorAnswer(new TypeError('boom')), { status: 500, body: { error: 'ERR_INTERNAL', message: 'boom' } });
  assert.equal(describeError(new TypeError('boom')).exitCode, EXIT.RUNTIME);
});

test('an error may name a more exact JSON-RPC code than its kind (a parse error is -32700)', () => {
  const err = new McpgwError('ERR_BODY_NOT_JSON', 'Parse error', 'invalid-input', { rpcCode: -32700 });
  assert.equal((jsonRpcErrorOf(null, err) as unknown as { error: { code: number } }).error.code, -32700);
});

test('authd answers its refusals through the same edge: the kind\'s status and JSON-RPC code, data.code and details', async () => {
  const { AuthdRefusal, refusal } = await import('../../src/gateway/authd/rpc-answer.js');
  const limited = refusal(4, new AuthdRefusal('ERR_RATE_LIMITED', 'exceeds limit "calls"', 'limited', { limit: 'calls' }), { 'retry-after': '3' });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers['retry-after'], '3');
  assert.deepEqual(JSON.parse(limited.body!), { jsonrpc: '2.0', id: 4, error: { code: -32004, message: 'exceeds limit "calls"', data: { code: 'ERR_RATE_LIMITED', limit: 'calls' } } });
  const forbidden = refusal(null, new AuthdRefusal('ERR_FORBIDDEN', 'not allowed: tools/call x:y', 'denied', { missing: 'tools/call x:y' }));
  assert.equal(forbidden.status, 403);
  assert.equal(JSON.parse(forbidden.body!).error.code, -32003);
});
