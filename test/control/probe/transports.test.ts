import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { probeServices, selectServices } from '../../../src/control/probe/index.js';
import { readHealth, readSnapshot } from '../../../src/core/state/snapshots.js';
import { EVERYTHING_BIN, startEverything } from '../../../testkit/mcp-servers.js';
import { checkoutWith } from './project.js';

/** What a plain SDK client lists, every page. */
async function listedBySdk(transport: Transport): Promise<unknown[]> {
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(transport);
  try {
    const tools: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  } finally {
    await client.close();
  }
}

test('server-everything over Streamable HTTP, SSE and stdio probes healthy and its snapshot equals what the SDK client lists', async (t) => {
  const [http, sse] = await Promise.all([startEverything('streamableHttp'), startEverything('sse')]);
  t.after(() => Promise.all([http.stop(), sse.stop()]));
  const checkout = await checkoutWith({
    'every-http': { upstream: http.url, transport: 'streamable-http' },
    'every-sse': { upstream: sse.url, transport: 'sse' },
    // Declared as Streamable HTTP but the server only speaks the old SSE transport: the probe falls back.
    'every-fallback': { upstream: sse.url },
    'every-stdio': { command: [process.execPath, EVERYTHING_BIN, 'stdio'] },
  });
  t.after(checkout.cleanup);
  const project = await checkout.load();

  const results = await probeServices(project, selectServices(project), { timeoutMs: 30_000 });
  const byName = Object.fromEntries(results.map((r) => [r.service, r]));
  for (const name of ['every-http', 'every-sse', 'every-fallback', 'every-stdio']) {
    assert.equal(byName[name]!.health.status, 'healthy', `${name}: ${byName[name]!.health.reason}`);
    assert.ok(byName[name]!.health.protocolVersion, `${name} records the protocol version`);
    assert.match(byName[name]!.health.serverInfo?.name ?? '', /everything/);
  }
  assert.equal(byName['every-fallback']!.transport, 'sse');
  assert.equal(byName['every-stdio']!.transport, 'stdio');

  const expected = {
    'every-http': await listedBySdk(new StreamableHTTPClientTransport(new URL(http.url))),
    'every-sse': await listedBySdk(new SSEClientTransport(new URL(sse.url))),
    'every-stdio': await listedBySdk(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING_BIN, 'stdio'], stderr: 'ignore' })),
  };
  for (const [name, tools] of Object.entries(expected)) {
    assert.ok(tools.length > 0);
    const snapshot = await readSnapshot(checkout.layout, name);
    assert.deepEqual(snapshot?.tools, tools, `${name} snapshot equals the SDK listing`);
  }
  const health = await readHealth(checkout.layout);
  assert.equal(health['every-http']?.toolCount, expected['every-http'].length);
});
