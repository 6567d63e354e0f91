// The daemons' one set of HTTP helpers on a real node server: capped JSON bodies, and the HTTP
// and JSON-RPC answers of the one error type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstHeader, readJsonBody, readJsonRpcBody, RequestBodyError, sendError, sendJson } from '../../../src/core/http/http-messages.js';
import { McpgwError } from '../../../src/core/errors.js';

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => void handler(req, res).catch((err) => sendError(res, err)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('a JSON body is parsed; one over the limit is 413 and one that is not JSON 400, each with a stable code', async (t) => {
  const server = await serve(async (req, res) => sendJson(res, 200, { got: await readJsonBody(req, 32, { empty: {} }) }));
  t.after(server.close);
  const post = (body: string) => fetch(server.url, { method: 'POST', body });
  assert.deepEqual(await (await post('{"a":1}')).json(), { got: { a: 1 } });
  assert.deepEqual(await (await post('')).json(), { got: {} }, 'an empty body stands for what the endpoint says');
  const big = await post(JSON.stringify({ a: 'x'.repeat(100) }));
  assert.equal(big.status, 413);
  assert.equal(((await big.json()) as { error: string }).error, 'ERR_BODY_TOO_LARGE');
  const bad = await post('{nope');
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { error: string }).error, 'ERR_BODY_NOT_JSON');
});

test('a JSON-RPC endpoint answers an unreadable body with a JSON-RPC error: -32700 for not JSON, 413 and -32600 over the limit', async (t) => {
  const server = await serve(async (req, res) => {
    const body = await readJsonRpcBody(req, res, 32, 'limits.max_body_bytes');
    if (body !== undefined) sendJson(res, 200, body);
  });
  t.after(server.close);
  const bad = await fetch(server.url, { method: 'POST', body: '{nope' });
  assert.equal(bad.status, 400);
  const badBody = (await bad.json()) as { jsonrpc: string; id: null; error: { code: number; data: { code: string } } };
  assert.deepEqual([badBody.jsonrpc, badBody.id, badBody.error.code, badBody.error.data.code], ['2.0', null, -32700, 'ERR_BODY_NOT_JSON']);
  const big = await fetch(server.url, { method: 'POST', body: 'x'.repeat(100) });
  assert.equal(big.status, 413);
  const bigBody = (await big.json()) as { error: { code: number; message: string } };
  assert.equal(bigBody.error.code, -32600);
  assert.match(bigBody.error.message, /over 32 bytes \(limits\.max_body_bytes\)/);
});

test('an McpgwError thrown by a handler becomes its kind\'s status with code, message and hint', async (t) => {
  const server = await serve(async () => {
    throw new McpgwError('ERR_RIGHT_MISSING', 'enabling needs "enable"', 'denied', { hint: 'grant it in scopes.yml' });
  });
  t.after(server.close);
  const res = await fetch(server.url);
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await res.json(), { error: 'ERR_RIGHT_MISSING', message: 'enabling needs "enable"', hint: 'grant it in scopes.yml' });
});

test('a header is read by its first value', () => {
  assert.equal(firstHeader({ 'x-a': ['1', '2'] }, 'x-a'), '1');
  assert.equal(firstHeader({ 'x-a': 'one' }, 'x-a'), 'one');
  assert.equal(firstHeader(undefined, 'x-a'), undefined);
  assert.ok(RequestBodyError.notJson('x') instanceof McpgwError);
});
