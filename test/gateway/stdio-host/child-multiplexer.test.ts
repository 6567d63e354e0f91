import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InitializeResult, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { ChildMultiplexer, negotiatedVersion } from '../../../src/gateway/stdio-host/child-multiplexer.js';
import { ConcurrencyGate } from '../../../src/gateway/stdio-host/client-link.js';
import { restartDelay } from '../../../src/gateway/stdio-host/supervised-child.js';

const INIT: InitializeResult = { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'child', version: '1' } };

/** (mock) A child that records what it receives; the test answers for it. */
function mockChild() {
  const received: JSONRPCMessage[] = [];
  return { received, ready: async () => INIT, send: (m: JSONRPCMessage) => (received.push(m), true) };
}

function recordingLink(stateful = true) {
  const got: { message: JSONRPCMessage; related?: RequestId }[] = [];
  return { got, link: { stateful, send: (message: JSONRPCMessage, related?: RequestId) => void got.push({ message, related }) } };
}

const settle = () => new Promise((r) => setImmediate(r));

test('two sessions using the same request id and progress token each get their own answer and progress (mock child)', async () => {
  const child = mockChild();
  const mux = new ChildMultiplexer('svc', child, new ConcurrencyGate());
  const a = recordingLink();
  const b = recordingLink();
  const sa = mux.open(a.link);
  const sb = mux.open(b.link);
  for (const s of [sa, sb]) s.receive({ jsonrpc: '2.0', id: 0, method: 'tools/call', params: { name: 'x', _meta: { progressToken: 0 } } });
  await settle();
  const [toA, toB] = child.received as { id: number; params: { _meta: { progressToken: string } } }[];
  assert.notEqual(toA!.id, toB!.id, 'ids are unique at the child');
  assert.notEqual(toA!.params._meta.progressToken, toB!.params._meta.progressToken);
  mux.fromChild({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: toB!.params._meta.progressToken, progress: 1 } });
  mux.fromChild({ jsonrpc: '2.0', id: toB!.id, result: { content: [{ type: 'text', text: 'for b' }] } });
  mux.fromChild({ jsonrpc: '2.0', id: toA!.id, result: { content: [{ type: 'text', text: 'for a' }] } });
  assert.deepEqual(b.got.map((g) => g.message), [
    { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 0, progress: 1 } },
    { jsonrpc: '2.0', id: 0, result: { content: [{ type: 'text', text: 'for b' }] } },
  ]);
  assert.deepEqual(a.got.map((g) => g.message), [{ jsonrpc: '2.0', id: 0, result: { content: [{ type: 'text', text: 'for a' }] } }]);
});

test('initialize is answered from the child\'s result with the client\'s version, and never reaches the child (mock child)', async () => {
  const child = mockChild();
  const mux = new ChildMultiplexer('svc', child, new ConcurrencyGate());
  const a = recordingLink();
  const s = mux.open(a.link);
  s.receive({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'c', version: '1' } } });
  s.receive({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await settle();
  assert.deepEqual(a.got[0]?.message, { jsonrpc: '2.0', id: 1, result: { ...INIT, protocolVersion: '2025-03-26' } });
  assert.deepEqual(child.received, []);
});

test('a server→client request on a child with one session goes on the stream of its request in flight, and its answer back to the child (mock child)', async () => {
  const child = mockChild();
  const mux = new ChildMultiplexer('svc', child, new ConcurrencyGate());
  const busy = recordingLink();
  const s = mux.open(busy.link);
  s.receive({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'sample' } });
  await settle();
  mux.fromChild({ jsonrpc: '2.0', id: 99, method: 'sampling/createMessage', params: {} });
  const relayed = busy.got[0]!;
  assert.equal(relayed.related, 5, 'sent on the stream of the request it belongs to');
  s.receive({ jsonrpc: '2.0', id: (relayed.message as { id: RequestId }).id, result: { content: { type: 'text', text: 'hi' } } } as JSONRPCMessage);
  assert.deepEqual(child.received.at(-1), { jsonrpc: '2.0', id: 99, result: { content: { type: 'text', text: 'hi' } } });
});

test('a server→client request or log line on a child shared by several sessions is refused, never guessed (mock child)', async () => {
  const child = mockChild();
  const mux = new ChildMultiplexer('svc', child, new ConcurrencyGate());
  const idle = recordingLink();
  const busy = recordingLink();
  mux.open(idle.link);
  const s = mux.open(busy.link);
  s.receive({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'sample' } });
  await settle();
  mux.fromChild({ jsonrpc: '2.0', id: 99, method: 'sampling/createMessage', params: {} });
  mux.fromChild({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'secret of someone' } });
  assert.deepEqual(idle.got, []);
  assert.deepEqual(busy.got, []);
  const refusal = child.received.at(-1) as { id: number; error: { code: number; message: string } };
  assert.equal(refusal.id, 99);
  assert.match(refusal.error.message, /several client sessions/);
  mux.fromChild({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
  assert.equal(idle.got.length, 1, 'list changes still reach every session');
});

test('resource updates reach only the sessions that subscribed, and the child stays subscribed while one still is (mock child)', async () => {
  const child = mockChild();
  const mux = new ChildMultiplexer('svc', child, new ConcurrencyGate());
  const a = recordingLink();
  const b = recordingLink();
  const sa = mux.open(a.link);
  const sb = mux.open(b.link);
  mux.open(recordingLink().link);
  sa.receive({ jsonrpc: '2.0', id: 1, method: 'resources/subscribe', params: { uri: 'test://r' } });
  sb.receive({ jsonrpc: '2.0', id: 1, method: 'resources/subscribe', params: { uri: 'test://r' } });
  await settle();
  const sent = child.received.length;
  sa.receive({ jsonrpc: '2.0', id: 2, method: 'resources/unsubscribe', params: { uri: 'test://r' } });
  await settle();
  assert.equal(child.received.length, sent, 'b still needs the subscription');
  assert.deepEqual(a.got.at(-1)?.message, { jsonrpc: '2.0', id: 2, result: {} });
  const before = a.got.length;
  mux.fromChild({ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: 'test://r' } });
  assert.equal(a.got.length, before);
  assert.equal((b.got.at(-1)?.message as { method?: string }).method, 'notifications/resources/updated');
});

test('version negotiation and restart back-off', () => {
  assert.equal(negotiatedVersion('2025-06-18'), '2025-06-18');
  assert.equal(negotiatedVersion('1999-01-01'), '2025-11-25');
  assert.deepEqual([1, 2, 3, 20].map(restartDelay), [250, 500, 1000, 30_000]);
});
