// Tasks through a real route with the SDK on both ends (its 2025-11-25 experimental tasks: a tool
// call creates a task, tasks/get and tasks/result follow it): the creator polls and reads the
// result; another caller with the same grants, holding the task id, is refused by authd.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTaskMessageQueue, InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import { CallToolResultSchema, CreateTaskResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startSessionServer, type RunningSessionServer } from '../../../testkit/session-server.js';

/** An SDK server with sessions and one task tool, `delay`, whose task completes after a moment. */
function startTaskServer(): Promise<RunningSessionServer> {
  const taskStore = new InMemoryTaskStore();
  return startSessionServer(() => {
    const server = new McpServer({ name: 'tasks', version: '1.0.0' }, { capabilities: { tasks: { requests: { tools: { call: {} } } } }, taskStore, taskMessageQueue: new InMemoryTaskMessageQueue() });
    server.experimental.tasks.registerToolTask('delay', { description: 'finishes later', inputSchema: { ms: z.number() } }, {
      async createTask({ ms }, { taskStore: store, taskRequestedTtl }) {
        const task = await store.createTask({ ttl: taskRequestedTtl });
        setTimeout(() => void store.storeTaskResult(task.taskId, 'completed', { content: [{ type: 'text', text: `done after ${ms} ms` }] }), ms);
        return { task };
      },
      getTask: async (_args, { taskId, taskStore: store }) => store.getTask(taskId),
      getTaskResult: async (_args, { taskId, taskStore: store }) => (await store.getTaskResult(taskId)) as CallToolResult,
    });
    return server;
  });
}

describe('tasks through a route (SDK client and server)', () => {
  let gw: TestGateway;
  let upstream: Awaited<ReturnType<typeof startTaskServer>>;

  before(async () => {
    upstream = await startTaskServer();
    gw = await startTestGateway({
      services: { jobs: `transport: streamable-http\nupstream: ${upstream.url}\n` },
      scopes: 'groups:\n  workers: [work]\nscopes:\n  work:\n    servers:\n      jobs: { tools: [delay] }\n',
      apiKeys: { alice: ['workers'], bob: ['workers'] },
      apply: true,
    });
  });
  after(async () => {
    await gw?.close();
    await upstream?.close();
  });

  async function connect(key: string): Promise<Client> {
    const client = new Client({ name: key, version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${gw.url}/jobs/mcp`), { requestInit: { headers: { Authorization: `Bearer ${gw.keys[key]}` } } }));
    return client;
  }

  test('the creator polls its task and reads the result; another caller with the same grants is refused (ERR_TASK_OWNER)', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    try {
      const created = await alice.request({ method: 'tools/call', params: { name: 'delay', arguments: { ms: 50 }, task: { ttl: 60_000 } } }, CreateTaskResultSchema);
      const taskId = created.task.taskId;
      let status = created.task.status;
      while (status === 'working') {
        await new Promise((r) => setTimeout(r, 50));
        status = (await alice.experimental.tasks.getTask(taskId)).status;
      }
      assert.equal(status, 'completed');
      const result = await alice.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
      assert.match(JSON.stringify(result.content), /done after 50 ms/);
      await assert.rejects(bob.experimental.tasks.getTask(taskId), /403|another caller/);
      await assert.rejects(bob.experimental.tasks.getTaskResult(taskId, CallToolResultSchema), /403|another caller/);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
