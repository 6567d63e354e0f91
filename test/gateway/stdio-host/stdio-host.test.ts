import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, everythingYaml, memoryYaml, startHostFor, textOf } from './stdio-checkout.js';

test('the SDK client lists and calls tools of a stdio server at /<name>/mcp (Streamable HTTP)', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const client = await connectClient(t, host, 'everything');
  const { tools } = await client.listTools();
  assert.ok(tools.some((tool) => tool.name === 'echo'), `echo among ${tools.map((x) => x.name).join(', ')}`);
  const result = await client.callTool({ name: 'echo', arguments: { message: 'hello through the host' } });
  assert.match(textOf(result), /hello through the host/);
  assert.equal(client.getServerVersion()?.name, 'mcp-servers/everything');
});

test('the same service works over legacy SSE at /<name>/sse', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const client = await connectClient(t, host, 'everything', 'sse');
  const result = await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 40 } });
  assert.match(textOf(result), /42/);
});

test('server-memory keeps an entity created by one client visible to a second, separate client', async (t) => {
  const { host } = await startHostFor(t, (dir) => ({ memory: memoryYaml(dir) }));
  const first = await connectClient(t, host, 'memory');
  await first.callTool({ name: 'create_entities', arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] } });
  await first.close();
  const second = await connectClient(t, host, 'memory', 'sse');
  const graph = await second.callTool({ name: 'open_nodes', arguments: { names: ['Ada'] } });
  assert.match(textOf(graph), /wrote the first program/);
  assert.equal(host.status().find((s) => s.service === 'memory')?.children.length, 1, 'one long-lived child');
});
