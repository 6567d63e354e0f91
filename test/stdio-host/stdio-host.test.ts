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
