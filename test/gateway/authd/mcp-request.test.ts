// What authd learns from Mcp-Method/Mcp-Name and the JSON-RPC body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMcpRequest } from '../../../src/core/wire/mcp-request.js';
import { MalformedRequestError } from '../../../src/core/wire/errors.js';

const body = (v: unknown) => JSON.stringify(v);

test('a single tools/call yields the method, the tool name and the id', () => {
  const parsed = parseMcpRequest({ body: body({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'echo' } }) });
  assert.deepEqual({ ...parsed, params: { ...parsed.params } }, {
    calls: [{ method: 'tools/call', name: 'echo', id: 5 }],
    batch: false,
    replyId: 5,
    modern: false,
    params: {},
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

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };
const modernCall = (name: string) => body({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name, arguments: {}, _meta: META } });
const failsWith = (parts: Parameters<typeof parseMcpRequest>[0], code: string, rpcCode: number) =>
  assert.throws(() => parseMcpRequest(parts), (err: unknown) => err instanceof MalformedRequestError && err.code === code && err.rpcCode === rpcCode, JSON.stringify(parts));

test('2026-07-28: Mcp-Method (and Mcp-Name for tools/call) are required and must match the body — 400 HeaderMismatch -32020', () => {
  const v = '2026-07-28';
  const ok = parseMcpRequest({ protocolVersion: v, body: modernCall('echo'), mcpMethod: 'tools/call', mcpName: 'echo' });
  assert.equal(ok.modern, true);
  assert.deepEqual(ok.calls.map((c) => [c.method, c.name]), [['tools/call', 'echo']]);
  failsWith({ protocolVersion: v, body: modernCall('echo') }, 'ERR_HEADER_MISMATCH', -32020);
  failsWith({ protocolVersion: v, body: modernCall('echo'), mcpMethod: 'tools/call' }, 'ERR_HEADER_MISMATCH', -32020);
  failsWith({ protocolVersion: v, body: modernCall('echo'), mcpMethod: 'tools/call', mcpName: 'other' }, 'ERR_HEADER_MISMATCH', -32020);
  failsWith({ protocolVersion: v, body: modernCall('echo'), mcpMethod: 'tools/list', mcpName: 'echo' }, 'ERR_HEADER_MISMATCH', -32020);
  // _meta's version must be the header's.
  failsWith({ protocolVersion: v, body: body({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2025-11-25' } } }), mcpMethod: 'tools/list' }, 'ERR_HEADER_MISMATCH', -32020);
  // No batches in 2026-07-28; the refusal names the request id when it can read one.
  failsWith({ protocolVersion: v, body: body([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }]), mcpMethod: 'tools/list' }, 'ERR_NOT_ONE_MESSAGE', -32600);
  assert.throws(() => parseMcpRequest({ protocolVersion: v, body: modernCall('echo') }), (err: unknown) => err instanceof MalformedRequestError && err.replyId === 9);
  // Header-only: a named method without Mcp-Name.
  failsWith({ protocolVersion: v, mcpMethod: 'tools/call' }, 'ERR_HEADER_MISMATCH', -32020);
  // Older versions need no headers (the body decides).
  assert.equal(parseMcpRequest({ protocolVersion: '2025-11-25', body: modernCall('echo') }).modern, false);
});

test('an unknown MCP-Protocol-Version is refused with UnsupportedProtocolVersionError (-32022) listing the supported versions', () => {
  try {
    parseMcpRequest({ protocolVersion: '1999-01-01', body: modernCall('echo') });
    assert.fail('accepted');
  } catch (err) {
    assert.ok(err instanceof MalformedRequestError);
    assert.equal(err.rpcCode, -32022);
    assert.equal(err.details?.requested, '1999-01-01');
    assert.ok((err.details?.supported as string[]).includes('2026-07-28'));
  }
});

test('Mcp-Param-* values are decoded (=?base64?…?=) by lower-case name; a raw non-ASCII value is a -32020', () => {
  const parsed = parseMcpRequest({ protocolVersion: '2026-07-28', body: modernCall('q'), mcpMethod: 'tools/call', mcpName: 'q', mcpParams: { Region: 'us-west1', greeting: `=?base64?${Buffer.from('Hello, 世界').toString('base64')}?=` } });
  assert.deepEqual({ ...parsed.params }, { region: 'us-west1', greeting: 'Hello, 世界' });
  failsWith({ protocolVersion: '2026-07-28', body: modernCall('q'), mcpMethod: 'tools/call', mcpName: 'q', mcpParams: { Region: 'köln' } }, 'ERR_HEADER_MISMATCH', -32020);
});

test('tasks/get, tasks/update and tasks/cancel name their task', () => {
  assert.equal(parseMcpRequest({ body: body({ jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { taskId: 't-1' } }) }).calls[0]!.taskId, 't-1');
  failsWith({ body: body({ jsonrpc: '2.0', id: 1, method: 'tasks/cancel', params: {} }) }, 'ERR_NO_TARGET', -32600);
});
