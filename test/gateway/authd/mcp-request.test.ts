// What authd learns from Mcp-Method/Mcp-Name and the JSON-RPC body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMcpRequest } from '../../../src/core/wire/mcp-request.js';
import { MalformedRequestError } from '../../../src/core/wire/errors.js';

const body = (v: unknown) => JSON.stringify(v);

test('a single tools/call yields the method, the tool name and the id', () => {
  assert.deepEqual(parseMcpRequest({ body: body({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'echo' } }) }), {
    calls: [{ method: 'tools/call', name: 'echo', id: 5 }],
    batch: false,
    replyId: 5,
  });
});

test('prompts/get and resources/read are named by prompt name and URI', () => {
  assert.equal(parseMcpRequest({ body: body({ jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { name: 'p' } }) }).calls[0]!.name, 'p');
  assert.equal(parseMcpRequest({ body: body({ jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri: 'file:///a' } }) }).calls[0]!.name, 'file:///a');
});

test('a batch yields every call and replies with id null', () => {
  const parsed = parseMcpRequest({ body: body([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { jsonrpc: '2.0', method: 'notifications/initialized' }]) });
  assert.equal(parsed.batch, true);
  assert.equal(parsed.replyId, null);
  assert.deepEqual(parsed.calls.map((c) => c.method), ['tools/list', 'notifications/initialized']);
});

test('no body: the headers, or else a call without a method (GET stream, DELETE)', () => {
  assert.deepEqual(parseMcpRequest({ mcpMethod: 'tools/call', mcpName: 'echo' }).calls, [{ method: 'tools/call', name: 'echo' }]);
  assert.deepEqual(parseMcpRequest({ body: '' }).calls, [{}]);
});

test('a JSON-RPC response from the client carries no method', () => {
  assert.deepEqual(parseMcpRequest({ body: body({ jsonrpc: '2.0', id: 3, result: {} }) }).calls, [{ id: 3 }]);
});

test('malformed input is a MalformedRequestError with a stable code', () => {
  const bad: [Parameters<typeof parseMcpRequest>[0], string][] = [
    [{ body: '{' }, 'ERR_BODY_NOT_JSON'],
    [{ body: '[]' }, 'ERR_EMPTY_BATCH'],
    [{ body: '42' }, 'ERR_NOT_JSONRPC'],
    [{ body: body({ jsonrpc: '2.0', id: 1, method: 'tools/call' }) }, 'ERR_NO_TARGET'],
    [{ body: body({ jsonrpc: '2.0', id: {}, method: 'ping' }) }, 'ERR_BAD_ID'],
    [{ mcpMethod: 'tools/call' }, 'ERR_NO_TARGET'],
    [{ mcpMethod: 'tools/list', body: body({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } }) }, 'ERR_HEADER_MISMATCH'],
    [{ mcpMethod: 'tools/list', body: body([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }]) }, 'ERR_HEADER_MISMATCH'],
  ];
  for (const [parts, code] of bad) {
    assert.throws(() => parseMcpRequest(parts), (err: unknown) => err instanceof MalformedRequestError && err.code === code, JSON.stringify(parts));
  }
});

test('a 2026-07-28 Mcp-Name in the =?base64?…?= form is read as the name it encodes (as the stdio host reads it)', () => {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'wetter-für-köln', arguments: {} } });
  const encoded = `=?base64?${Buffer.from('wetter-für-köln', 'utf8').toString('base64')}?=`;
  const { calls } = parseMcpRequest({ body, mcpMethod: 'tools/call', mcpName: encoded });
  assert.deepEqual(calls.map((c) => [c.method, c.name]), [['tools/call', 'wetter-für-köln']]);
  assert.throws(() => parseMcpRequest({ body, mcpMethod: 'tools/call', mcpName: `=?base64?${Buffer.from('other').toString('base64')}?=` }), (err: unknown) => err instanceof MalformedRequestError && err.code === 'ERR_HEADER_MISMATCH');
});
