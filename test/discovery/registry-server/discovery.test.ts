// An agent that knows only <gateway>/mcpgw/mcp finds a tool and uses it, through real Caddy,
// authd, the registry server and server-everything, with OIDC tokens and an API key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, TSX } from '../../../testkit/cli.js';
import { connectWithToken, startRegistryGateway, textOf, type RegistryGateway } from './registry-gateway.js';

interface Found {
  server: string;
  tool: string;
  url: string;
  inputSchema: { properties?: Record<string, unknown> };
}

const INSPECTOR_CLI = join(REPO_ROOT, 'node_modules', '.bin', 'mcp-inspector-cli');
const EXAMPLE_AGENT = join(REPO_ROOT, 'examples', 'agent.ts');

// inspector-cli 1.0.3 looks for its own package.json as "../package.json" from the working
// directory (fs.existsSync) but imports it relative to its module: run it from its build folder.
const INSPECTOR_CWD = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build');

function run(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...options.env }, cwd: options.cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 2) : 0, stdout, stderr });
    });
  });
}

describe('the registry as an MCP server behind the gateway', () => {
  let gw: RegistryGateway;
  before(async () => {
    gw = await startRegistryGateway();
  });
  after(async () => {
    await gw?.stop();
  });

  test('find_tools returns server-everything\'s echo tool with its gateway URL, and echo answers the same through call_tool and through that URL', async () => {
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, gw.alice);
    try {
      const found = await registry.callTool({ name: 'find_tools', arguments: { query: 'echo a message back' } });
      assert.ok(!found.isError, textOf(found));
      const echo = ((found.structuredContent as { results: Found[] }).results).find((r) => r.tool === 'echo');
      assert.ok(echo, `echo is among the results: ${textOf(found)}`);
      assert.equal(echo.server, 'everything');
      assert.equal(echo.url, `${gw.url}/everything/mcp`);
      assert.ok(echo.inputSchema.properties?.message, 'the input schema names the message parameter');

      const viaRegistry = await registry.callTool({ name: 'call_tool', arguments: { server: 'everything', tool: 'echo', arguments: { message: 'hello both ways' } } });
      assert.ok(!viaRegistry.isError, textOf(viaRegistry));
      const direct = await connectWithToken(echo.url, gw.alice);
      try {
        const viaUrl = await direct.callTool({ name: 'echo', arguments: { message: 'hello both ways' } });
        assert.match(textOf(viaUrl), /hello both ways/);
        assert.deepEqual(viaRegistry.content, viaUrl.content);
      } finally {
        await direct.close();
      }
    } finally {
      await registry.close();
    }
  });

  test('find_tools answers a query that no tool has evidence for (gibberish) with no results', async () => {
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, gw.alice);
    try {
      const found = await registry.callTool({ name: 'find_tools', arguments: { query: 'zxqvbn' } });
      assert.ok(!found.isError, textOf(found));
      assert.deepEqual((found.structuredContent as { results: Found[] }).results, []);
    } finally {
      await registry.close();
    }
  });

  test('a caller without rights to a server is shown none of its tools and gets 403 through call_tool and at the URL', async () => {
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, gw.outsider);
    try {
      const found = await registry.callTool({ name: 'find_tools', arguments: { query: 'echo a message back', top_k: 50 } });
      assert.ok(!found.isError, textOf(found));
      assert.deepEqual((found.structuredContent as { results: Found[] }).results.filter((r) => r.server === 'everything'), []);
      const viaRegistry = await registry.callTool({ name: 'call_tool', arguments: { server: 'everything', tool: 'echo', arguments: { message: 'x' } } });
      assert.equal(viaRegistry.isError, true);
      assert.equal((viaRegistry.structuredContent as { error: { status: number } }).error.status, 403, textOf(viaRegistry));
    } finally {
      await registry.close();
    }
    await assert.rejects(connectWithToken(`${gw.url}/everything/mcp`, gw.outsider), (err: { code?: number }) => err.code === 403);
  });

  test('a tool outside the caller\'s grant on a server they may use is hidden and refused with 403', async () => {
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, gw.alice);
    try {
      const service = await registry.callTool({ name: 'get_service', arguments: { name: 'everything' } });
      const tools = (service.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name);
      assert.deepEqual(tools, ['echo'], 'alice may call only echo');
      const refused = await registry.callTool({ name: 'call_tool', arguments: { server: 'everything', tool: 'get-sum', arguments: { a: 1, b: 2 } } });
      assert.equal((refused.structuredContent as { error: { status: number } }).error.status, 403, textOf(refused));
    } finally {
      await registry.close();
    }
  });

  test('list_services, health and the mcpgw://services/<name> resources describe the catalogue without secret values', async () => {
    const registry = await connectWithToken(`${gw.url}/mcpgw/mcp`, gw.alice);
    try {
      const listed = await registry.callTool({ name: 'list_services', arguments: { filter: 'test server' } });
      const services = (listed.structuredContent as { services: { name: string; url: string; health: { status: string } }[] }).services;
      assert.deepEqual(services.map((s) => [s.name, s.url, s.health.status]), [['everything', `${gw.url}/everything/mcp`, 'healthy']]);
      const health = await registry.callTool({ name: 'health', arguments: { name: 'everything' } });
      assert.equal((health.structuredContent as { services: { health: { status: string } }[] }).services[0]!.health.status, 'healthy');

      const resources = await registry.listResources();
      assert.ok(resources.resources.some((r) => r.uri === 'mcpgw://services/everything'));
      const read = await registry.readResource({ uri: 'mcpgw://services/everything' });
      const view = JSON.parse((read.contents[0] as { text: string }).text) as { url: string; tools: { name: string }[] };
      assert.equal(view.url, `${gw.url}/everything/mcp`);
      assert.deepEqual(view.tools.map((t) => t.name), ['echo']);
    } finally {
      await registry.close();
    }
  });

  test('legacy SSE clients reach the same tools at <gateway>/mcpgw/sse', async () => {
    const client = new Client({ name: 'sse-agent', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${gw.url}/mcpgw/sse`), { requestInit: { headers: { Authorization: `Bearer ${gw.alice}` } } }));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(names, ['call_tool', 'find_tools', 'get_service', 'health', 'list_services']);
      const result = await client.callTool({ name: 'call_tool', arguments: { server: 'everything', tool: 'echo', arguments: { message: 'over sse' } } });
      assert.match(textOf(result), /over sse/);
    } finally {
      await client.close();
    }
  });

  test('@modelcontextprotocol/inspector-cli lists the registry tools and calls them through the gateway', async () => {
    const base = ['--cli', `${gw.url}/mcpgw/mcp`, '--transport', 'http', '--header', `Authorization: Bearer ${gw.alice}`];
    const listed = await run(INSPECTOR_CLI, [...base, '--method', 'tools/list'], { cwd: INSPECTOR_CWD });
    assert.equal(listed.code, 0, listed.stderr);
    const names = (JSON.parse(listed.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name);
    assert.ok(['find_tools', 'call_tool', 'list_services', 'get_service', 'health'].every((n) => names.includes(n)), names.join(','));
    const called = await run(INSPECTOR_CLI, [...base, '--method', 'tools/call', '--tool-name', 'call_tool', '--tool-arg', 'server=everything', 'tool=echo', 'arguments={"message":"from the inspector"}'], { cwd: INSPECTOR_CWD });
    assert.equal(called.code, 0, called.stderr);
    assert.match(called.stdout, /from the inspector/);
  });

  test('the example agent turns a task sentence into find_tools, a pick and a call through the gateway', async () => {
    const result = await run(process.execPath, ['--import', TSX, EXAMPLE_AGENT, 'echo a message back: hello from the agent'], { env: { MCPGW_GATEWAY: gw.url, MCPGW_TOKEN: gw.alice } });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /\[2\] find_tools → everything\/echo/);
    assert.match(result.stdout, /\[3\] picked everything\/echo at .*\/everything\/mcp with \{"message":"hello from the agent"\}/);
    assert.match(result.stdout, /\[4\] result: .*hello from the agent/);
  });

  test('without a token the registry answers 401 and points to the protected resource metadata', async () => {
    const res = await fetch(`${gw.url}/mcpgw/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-user': 'root', 'x-groups': 'admins' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), `Bearer resource_metadata="${gw.url}/.well-known/oauth-protected-resource/mcpgw"`);
    const metadata = (await (await fetch(`${gw.url}/.well-known/oauth-protected-resource/mcpgw`)).json()) as { resource: string };
    assert.equal(metadata.resource, `${gw.url}/mcpgw`);
  });
});
