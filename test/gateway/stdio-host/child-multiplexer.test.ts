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

test('a server→client request goes to the session whose request is in flight, and its answer back to the child (mock child)', async () => {
  const child = mockChild();
  const mux = new ChildMultiplexer('svc', child, new ConcurrencyGate());
  const idle = recordingLink();
  const busy = recordingLink();
  mux.open(idle.link);
  const s = mux.open(busy.link);
  mux.open(recordingLink(false).link); // a stateless request never receives server requests
  s.receive({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'sample' } });
  await settle();
  mux.fromChild({ jsonrpc: '2.0', id: 99, method: 'sampling/createMessage', params: {} });
  const relayed = busy.got[0]!;
  assert.equal(relayed.related, 5, 'sent on the stream of the request it belongs to');
  assert.deepEqual(idle.got, []);
  s.receive({ jsonrpc: '2.0', id: (relayed.message as { id: RequestId }).id, result: { content: { type: 'text', text: 'hi' } } } as JSONRPCMessage);
  assert.deepEqual(child.received.at(-1), { jsonrpc: '2.0', id: 99, result: { content: { type: 'text', text: 'hi' } } });
});

test('version negotiation and restart back-off', () => {
  assert.equal(negotiatedVersion('2025-06-18'), '2025-06-18');
  assert.equal(negotiatedVersion('1999-01-01'), '2025-11-25');
  assert.deepEqual([1, 2, 3, 20].map(restartDelay), [250, 500, 1000, 30_000]);
});
