import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { MEMORY_LIMIT_SUPPORTED } from '../../../src/gateway/stdio-host/memory-usage.js';
import { connectClient, everythingYaml, startHostFor, textOf } from './stdio-checkout.js';

function isJsonRpcError(code: number, message: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof McpError, `a JSON-RPC error, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  };
}

test('limits.max_concurrent: a call beyond the limit gets a JSON-RPC error while the first one completes', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml('everything', 'limits: { max_concurrent: 1 }\n') });
  const first = await connectClient(t, host, 'everything');
  const second = await connectClient(t, host, 'everything');
  let progressed!: () => void;
  const inFlight = new Promise<void>((resolve) => (progressed = resolve));
  const slow = first.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 6, steps: 6 } }, undefined, { onprogress: () => progressed() });
  await inFlight;
  await assert.rejects(second.callTool({ name: 'echo', arguments: { message: 'x' } }), isJsonRpcError(-32005, /limits\.max_concurrent 1/));
  assert.match(textOf(await slow), /completed/);
  assert.match(textOf(await second.callTool({ name: 'echo', arguments: { message: 'now' } })), /now/);
});

test('limits.timeout: a call slower than the limit gets a JSON-RPC timeout error', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml('everything', 'limits: { timeout: 2s }\n') });
  const client = await connectClient(t, host, 'everything');
  await assert.rejects(
    client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 20, steps: 2 } }),
    isJsonRpcError(-32001, /within 2000 ms \(limits\.timeout\)/),
  );
  assert.match(textOf(await client.callTool({ name: 'echo', arguments: { message: 'still fine' } })), /still fine/);
});

test('limits.memory_mb: a child over the limit is killed and the call in flight gets a JSON-RPC error naming the limit', { skip: !MEMORY_LIMIT_SUPPORTED && 'needs /proc' }, async (t) => {
  // Any Node server uses more than 1 MB resident, so the first check after start trips the limit.
  const { host } = await startHostFor(t, { everything: everythingYaml('everything', 'limits: { memory_mb: 1 }\n') });
  const client = await connectClient(t, host, 'everything');
  await assert.rejects(
    client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 60, steps: 2 } }),
    isJsonRpcError(-32005, /over its limit of 1 MB \(limits\.memory_mb\)/),
  );
});

test('the child gets command.env with secrets resolved, allow-listed variables, PATH and HOME — nothing else of mcpgw\'s environment', async (t) => {
  process.env.MCPGW_TEST_SECRET = 'resolved-secret-value';
  process.env.MCPGW_TEST_ALLOWED = 'allowed-value';
  process.env.MCPGW_TEST_HIDDEN = 'hidden-value';
  t.after(() => {
    delete process.env.MCPGW_TEST_SECRET;
    delete process.env.MCPGW_TEST_ALLOWED;
    delete process.env.MCPGW_TEST_HIDDEN;
  });
  const yaml = everythingYaml().replace('  run:', '  env: { API_TOKEN: "${env:MCPGW_TEST_SECRET}" }\n  env_allow: [MCPGW_TEST_ALLOWED]\n  run:');
  const { host, dir } = await startHostFor(t, { everything: yaml });
  const client = await connectClient(t, host, 'everything');
  const env = JSON.parse(textOf(await client.callTool({ name: 'get-env', arguments: {} }))) as Record<string, string>;
  assert.equal(env.API_TOKEN, 'resolved-secret-value');
  assert.equal(env.MCPGW_TEST_ALLOWED, 'allowed-value');
  assert.equal(env.PATH, process.env.PATH);
  assert.equal(env.MCPGW_TEST_HIDDEN, undefined);
  const log = await readFile(join(dir, '.mcpgw', 'logs', 'everything.log'), 'utf8');
  assert.match(log, /started /, 'the service log records the start');
  assert.doesNotMatch(log, /resolved-secret-value/);
});

test('a secret reference that cannot be resolved fails the call with a JSON-RPC error naming the variable', async (t) => {
  const yaml = everythingYaml().replace('  run:', '  env: { API_TOKEN: "${env:MCPGW_TEST_NOT_SET}" }\n  run:');
  const { host } = await startHostFor(t, { everything: yaml });
  const client = new Client({ name: 'test', version: '1.0.0' });
  await assert.rejects(client.connect(new StreamableHTTPClientTransport(new URL(`${host.url}/everything/mcp`))), /MCPGW_TEST_NOT_SET is not set/);
  await client.close();
});
