// GET-then-POST ordering through a real route (Caddy → authd → an SDK server with sessions): an
// SDK client opens its GET stream right after initialize and calls a tool at once; the tool asks
// the client something on the GET stream (an SDK server drops such a request when the stream is
// not open yet, and the call would hang). authd holds the first call until Caddy reports the
// upstream answered the GET — repeated, every call must complete.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startSessionServer, type RunningSessionServer } from '../../../testkit/session-server.js';

const RUNS = 15;

/** An SDK server with sessions whose `ask` tool elicits on the session's GET stream (no related request). */
function startAskingServer(): Promise<RunningSessionServer> {
  return startSessionServer(() => {
    const server = new McpServer({ name: 'asker', version: '1.0.0' });
    server.registerTool('ask', { description: 'asks the client on the GET stream' }, async () => {
      const answer = await server.server.elicitInput({ message: 'ok?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } });
      return { content: [{ type: 'text', text: `answered ${answer.action}` }] };
    });
    return server;
  });
}

describe('GET stream before the first call, through a route', () => {
  let gw: TestGateway;
  let upstream: Awaited<ReturnType<typeof startAskingServer>>;

  before(async () => {
    upstream = await startAskingServer();
    gw = await startTestGateway({
      services: { asker: `transport: streamable-http\nupstream: ${upstream.url}\n` },
      scopes: 'groups:\n  askers: [ask]\nscopes:\n  ask:\n    servers:\n      asker: { tools: [ask] }\n',
      apiKeys: { agent: ['askers'] },
      apply: true,
    });
  });
  after(async () => {
    await gw?.close();
    await upstream?.close();
  });

  test(`a tool that asks the client on the GET stream right after connect completes, ${RUNS} sessions in a row`, async () => {
    const failures: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const client = new Client({ name: 'order', version: '1.0.0' }, { capabilities: { elicitation: {} } });
      client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { ok: true } }));
      await client.connect(new StreamableHTTPClientTransport(new URL(`${gw.url}/asker/mcp`), { requestInit: { headers: { Authorization: `Bearer ${gw.keys.agent}` } } }));
      try {
        // At once, as the SDK client and the conformance suite do: the GET stream may not be open yet.
        const result = await client.callTool({ name: 'ask', arguments: {} }, undefined, { timeout: 10_000 });
        assert.match(JSON.stringify(result.content), /answered accept/);
      } catch (err) {
        failures.push(`run ${run}: ${(err as Error).message}`);
      } finally {
        await client.close();
      }
    }
    assert.deepEqual(failures, []);
  });
});
