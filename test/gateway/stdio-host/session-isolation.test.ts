// Two client sessions on one stdio service through the host, with different capabilities and
// roots: each sees what the server would show it directly, and gets only its own server→client
// requests (sampling, elicitation, roots/list).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, type ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { StdioHost } from '../../../src/gateway/stdio-host/stdio-host.js';
import { everythingYaml, startHostFor, textOf } from './stdio-checkout.js';

interface Seen {
  sampling: string[];
  elicitation: number;
  roots: number;
}

/** An SDK client that answers sampling with its own name and lists its own root. */
async function capableClient(t: TestContext, host: StdioHost, name: string, capabilities: ClientCapabilities): Promise<{ client: Client; seen: Seen }> {
  const client = new Client({ name, version: '1.0.0' }, { capabilities });
  const seen: Seen = { sampling: [], elicitation: 0, roots: 0 };
  if (capabilities.sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const asked = JSON.stringify(request.params.messages);
      seen.sampling.push(asked);
      // Answer slowly so the two sessions' calls overlap at the child.
      await new Promise((r) => setTimeout(r, 150));
      return { role: 'assistant', model: name, content: { type: 'text', text: `${name} answered ${asked.length}` } };
    });
  }
  if (capabilities.elicitation) {
    client.setRequestHandler(ElicitRequestSchema, async () => {
      seen.elicitation += 1;
      return { action: 'accept', content: { name } };
    });
  }
  if (capabilities.roots) {
    client.setRequestHandler(ListRootsRequestSchema, async () => {
      seen.roots += 1;
      return { roots: [{ uri: `file:///work/${name}`, name: `${name}-root` }] };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(`${host.url}/everything/mcp`)));
  t.after(() => client.close());
  return { client, seen };
}

test('two concurrent sessions with different capabilities and roots each get only their own sampling, elicitation and roots requests', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const alice = await capableClient(t, host, 'alice', { sampling: {}, elicitation: {}, roots: { listChanged: true } });
  const bob = await capableClient(t, host, 'bob', { sampling: {}, roots: {} });
  const plain = await capableClient(t, host, 'plain', {});

  const tools = async (c: Client) => (await c.listTools()).tools.map((x) => x.name);
  const [aliceTools, bobTools, plainTools] = await Promise.all([tools(alice.client), tools(bob.client), tools(plain.client)]);
  assert.ok(aliceTools.includes('trigger-elicitation-request') && aliceTools.includes('get-roots-list'), `alice: ${aliceTools.join(', ')}`);
  assert.ok(bobTools.includes('trigger-sampling-request') && !bobTools.includes('trigger-elicitation-request'), `bob (no elicitation): ${bobTools.join(', ')}`);
  for (const conditional of ['trigger-sampling-request', 'trigger-elicitation-request', 'get-roots-list']) {
    assert.ok(!plainTools.includes(conditional), `a client without capabilities is not offered ${conditional}`);
  }

  // Several overlapping sampling calls from both sessions: each prompt comes back to its caller only.
  const calls = [];
  for (let i = 0; i < 4; i++) {
    for (const [who, c] of [['alice', alice], ['bob', bob]] as const) {
      calls.push(
        c.client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: `${who}-${i}`, maxTokens: 10 } }).then((r) => {
          assert.match(textOf(r), new RegExp(`${who} answered`), `${who}-${i} was answered by ${who}'s client`);
        }),
      );
    }
  }
  await Promise.all(calls);
  assert.equal(alice.seen.sampling.length, 4);
  assert.equal(bob.seen.sampling.length, 4);
  assert.ok(alice.seen.sampling.every((s) => s.includes('alice-')), `alice saw only her prompts: ${alice.seen.sampling.join(' | ')}`);
  assert.ok(bob.seen.sampling.every((s) => s.includes('bob-')), `bob saw only his prompts: ${bob.seen.sampling.join(' | ')}`);

  const elicited = await alice.client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
  assert.match(textOf(elicited), /alice/);
  assert.equal(alice.seen.elicitation, 1);
  assert.equal(bob.seen.elicitation, 0);

  // roots/list works through the host, and each session sees its own roots.
  const [aliceRoots, bobRoots] = await Promise.all([alice.client.callTool({ name: 'get-roots-list', arguments: {} }), bob.client.callTool({ name: 'get-roots-list', arguments: {} })]);
  assert.match(textOf(aliceRoots), /file:\/\/\/work\/alice/);
  assert.doesNotMatch(textOf(aliceRoots), /bob/);
  assert.match(textOf(bobRoots), /file:\/\/\/work\/bob/);
  assert.doesNotMatch(textOf(bobRoots), /alice/);
  assert.ok(alice.seen.roots >= 1 && bob.seen.roots >= 1);

  const status = host.status().find((s) => s.service === 'everything')!;
  assert.equal(status.children.length, 3, 'alice and bob each have a process; the client without callbacks shares the service process');
});

test('a session without callback capabilities shares the service process with others like it', async (t) => {
  const { host } = await startHostFor(t, { everything: everythingYaml() });
  const one = await capableClient(t, host, 'one', {});
  const two = await capableClient(t, host, 'two', {});
  await Promise.all([one.client.listTools(), two.client.listTools()]);
  assert.equal(host.status().find((s) => s.service === 'everything')!.children.length, 1);
});
