// A compliant client may POST before its GET stream reaches the host (or never open one): what
// the server sends outside a request is then held and delivered on the GET stream when it opens,
// or on the response stream of the client's next request — never dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { everythingYaml, startHostFor, textOf } from './stdio-checkout.js';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

async function initialize(url: string): Promise<string> {
  const init = await fetch(url, {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { roots: {} }, clientInfo: { name: 'raw', version: '1' } } }),
  });
  const session = init.headers.get('mcp-session-id')!;
  await init.text();
  await fetch(url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': session }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  return session;
}

/** Read SSE `data:` messages from a response until one satisfies `done`. */
async function readUntil(res: Response, done: (m: { id?: unknown; method?: string }) => boolean): Promise<{ id?: unknown; method?: string }[]> {
  const seen: { id?: unknown; method?: string }[] = [];
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    const blocks = text.split('\n\n');
    text = blocks.pop()!;
    for (const block of blocks) {
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('');
      if (!data) continue;
      const message = JSON.parse(data);
      seen.push(message);
      if (done(message)) return seen;
    }
  }
  return seen;
}

test('roots/list the server sends before the client has a GET stream arrives when the GET stream opens', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const url = `${host.url}/everything/mcp`;
  const session = await initialize(url);
  // server-everything asks for roots 350 ms after initialized; no stream of this session exists then.
  await new Promise((r) => setTimeout(r, 800));
  const controller = new AbortController();
  t.after(() => controller.abort());
  const get = await fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' }, signal: controller.signal });
  assert.equal(get.status, 200);
  const seen = await readUntil(get, (m) => m.method === 'roots/list');
  assert.equal(seen.at(-1)?.method, 'roots/list');
});

test('without a GET stream, the held roots/list rides on the response stream of the client\'s next request', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const url = `${host.url}/everything/mcp`;
  const session = await initialize(url);
  await new Promise((r) => setTimeout(r, 800));
  const ping = await fetch(url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': session }, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping' }) });
  const seen = await readUntil(ping, (m) => m.id === 7);
  // (list changes the server sent meanwhile come along too)
  assert.deepEqual(seen.map((m) => m.method ?? `response ${String(m.id)}`).filter((m) => !m.startsWith('notifications/')), ['roots/list', 'response 7']);
});

test('GET stream then tools/call, many times over: every elicitation and roots request reaches its SDK client', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  for (let round = 0; round < 12; round++) {
    const client = new Client({ name: `round-${round}`, version: '1' }, { capabilities: { elicitation: {}, roots: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: `round-${round}` } }));
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: `file:///round/${round}` }] }));
    // connect() starts the GET stream without waiting for it; the call follows at once.
    await client.connect(new StreamableHTTPClientTransport(new URL(`${host.url}/everything/mcp`)));
    const [elicited, roots] = await Promise.all([
      client.callTool({ name: 'trigger-elicitation-request', arguments: {} }),
      client.callTool({ name: 'get-roots-list', arguments: {} }),
    ]);
    assert.match(textOf(elicited), new RegExp(`round-${round}`), `round ${round}: elicitation answered`);
    assert.match(textOf(roots), new RegExp(`file:///round/${round}`), `round ${round}: roots answered`);
    await client.close();
  }
});
