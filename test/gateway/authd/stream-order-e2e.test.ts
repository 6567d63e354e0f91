// GET-then-POST ordering through a real route (Caddy → authd → an SDK server with sessions): an
// SDK client opens its GET stream right after initialize and calls a tool at once; the tool asks
// the client something on the GET stream (an SDK server drops such a request when the stream is
// not open yet, and the call would hang). authd holds the first call until Caddy reports that
// the upstream answered the GET (its handle_response → authd's /stream-open) — repeated, every
// call must complete; and with an upstream slow to accept GET streams (as a loaded Caddy looks
// from authd), the call still reaches the upstream only after it accepted the stream.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startSessionServer, type AroundSession, type RunningSessionServer } from '../../../testkit/session-server.js';

const RUNS = 15;

/** An SDK server with sessions whose `ask` tool elicits on the session's GET stream (no related request). */
function startAskingServer(around?: AroundSession, onCall?: (session: string | undefined) => void): Promise<RunningSessionServer> {
  return startSessionServer(() => {
    const server = new McpServer({ name: 'asker', version: '1.0.0' });
    server.registerTool('ask', { description: 'asks the client on the GET stream' }, async (extra) => {
      onCall?.(extra.sessionId);
      const answer = await server.server.elicitInput({ message: 'ok?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } });
      return { content: [{ type: 'text', text: `answered ${answer.action}` }] };
    });
    return server;
  }, around);
}

async function gatewayFor(upstream: RunningSessionServer): Promise<TestGateway> {
  return startTestGateway({
    services: { asker: `transport: streamable-http\nupstream: ${upstream.url}\n` },
    scopes: 'groups:\n  askers: [ask]\nscopes:\n  ask:\n    servers:\n      asker: { tools: [ask] }\n',
    apiKeys: { agent: ['askers'] },
    apply: true,
  });
}

async function connectedClient(gw: TestGateway): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'order', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { ok: true } }));
  const transport = new StreamableHTTPClientTransport(new URL(`${gw.url}/asker/mcp`), { requestInit: { headers: { Authorization: `Bearer ${gw.keys.agent}` } } });
  await client.connect(transport);
  return { client, transport };
}

/** Resolves with `promise`, or fails after `ms` saying what it waited for. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('GET stream before the first call, through a route', () => {
  let gw: TestGateway;
  let upstream: Awaited<ReturnType<typeof startAskingServer>>;

  before(async () => {
    upstream = await startAskingServer();
    gw = await gatewayFor(upstream);
  });
  after(async () => {
    await gw?.close();
    await upstream?.close();
  });

  test(`a tool that asks the client on the GET stream right after connect completes, ${RUNS} sessions in a row`, async () => {
    const failures: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { client } = await connectedClient(gw);
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

/** How long the slow upstream takes to accept a GET stream: far longer than the 25 ms authd once allowed Caddy for proxying it. */
const GET_ACCEPT_DELAY_MS = 300;
const SLOW_RUNS = 4;

describe('GET stream before the first call, through a route, to an upstream slow to accept GET streams', () => {
  let gw: TestGateway;
  let upstream: RunningSessionServer;
  /** Per session, in the order the upstream saw them: `get-arrived`, `get-accepted`, `call`. */
  const events = new Map<string, string[]>();
  const getArrived = new Map<string, () => void>();
  const arrivals = new Map<string, Promise<void>>();
  const arrivalOf = (session: string) => {
    if (!arrivals.has(session)) arrivals.set(session, new Promise<void>((r) => getArrived.set(session, r)));
    return arrivals.get(session)!;
  };
  const note = (session: string, event: string) => events.set(session, [...(events.get(session) ?? []), event]);

  before(async () => {
    const slowGets: AroundSession = async (req, res, handle) => {
      const session = String(req.headers['mcp-session-id']);
      if (req.method === 'GET') {
        note(session, 'get-arrived');
        void arrivalOf(session);
        getArrived.get(session)!();
        // The upstream's own behaviour under test (not a wait of the test): it accepts the stream late.
        await new Promise((r) => setTimeout(r, GET_ACCEPT_DELAY_MS));
        const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
        res.writeHead = ((...args: unknown[]) => {
          note(session, 'get-accepted');
          return writeHead(...args);
        }) as typeof res.writeHead;
      }
      return handle();
    };
    upstream = await startAskingServer(slowGets, (session) => note(String(session), 'call'));
    gw = await gatewayFor(upstream);
  });
  after(async () => {
    await gw?.close();
    await upstream?.close();
  });

  test(`a call sent while the upstream has not accepted the GET stream yet reaches it only after it did, and completes; ${SLOW_RUNS} sessions`, async () => {
    for (let run = 0; run < SLOW_RUNS; run++) {
      const { client, transport } = await connectedClient(gw);
      try {
        const session = transport.sessionId!;
        assert.ok(session, 'the upstream gave the session an id');
        // The GET is through authd and at the upstream, which has not accepted it yet: the
        // moment the old fixed 25 ms grace had long run out.
        await within(arrivalOf(session), 15_000, `the upstream to receive session ${session}'s GET stream`);
        const result = await client.callTool({ name: 'ask', arguments: {} }, undefined, { timeout: 15_000 });
        assert.match(JSON.stringify(result.content), /answered accept/, `run ${run}`);
        assert.deepEqual(events.get(session), ['get-arrived', 'get-accepted', 'call'], `run ${run}: the order the upstream saw`);
      } finally {
        await client.close();
      }
    }
  });
});
