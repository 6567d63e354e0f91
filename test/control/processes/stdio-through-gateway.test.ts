// Issue 6 end to end: a stdio server registered with --command is reachable through the gateway
// `mcpgw up` starts — real Caddy, authd, stdio host — like any HTTP service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runCli } from '../../../testkit/cli.js';
import { gatewayCheckout } from '../../../testkit/gateway.js';
import { EVERYTHING_BIN } from '../../../testkit/mcp-servers.js';
import type { ProcessesFile } from '../../../src/control/processes/processes-file.js';

const require = createRequire(import.meta.url);
const MEMORY_BIN = join(dirname(require.resolve('@modelcontextprotocol/server-memory/package.json')), 'dist', 'index.js');

async function connect(url: string, key: string): Promise<Client> {
  const client = new Client({ name: 'stdio-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  return client;
}

const textOf = (result: unknown) => ((result as { content?: { text?: string }[] }).content ?? []).map((c) => c.text).join('\n');

test('a stdio server registered with --command is listed and called through the gateway that `up` starts, with authd in front', { timeout: 300_000 }, async (t) => {
  const project = await gatewayCheckout({
    up: true,
    settingsYaml: 'search:\n  embedder: none\n',
    scopes: 'groups:\n  agents: [tools]\nscopes:\n  tools:\n    servers:\n      everything: { tools: ["*"] }\n      memory: { tools: ["*"] }\n',
  });
  t.after(project.close);
  const registered = await runCli(['register', '--name', 'everything', '--command', `${process.execPath} ${EVERYTHING_BIN} stdio`, '--description', 'Reference server over stdio'], { cwd: project.dir });
  assert.equal(registered.code, 0, registered.stderr);
  assert.match(await readFile(join(project.dir, 'registry.d', 'everything.yaml'), 'utf8'), /^command: .* stdio$/m);
  await mkdir(join(project.dir, 'data'));
  await writeFile(
    join(project.dir, 'registry.d', 'memory.yaml'),
    `name: memory\ncommand:\n  run: [${JSON.stringify(process.execPath)}, ${JSON.stringify(MEMORY_BIN)}]\n  env: { MEMORY_FILE_PATH: ${JSON.stringify(join(project.dir, 'data', 'memory.jsonl'))} }\n`,
  );
  const created = await runCli(['keys', 'create', '--name', 'agent', '--group', 'agents', '--quiet'], { cwd: project.dir });
  assert.equal(created.code, 0, created.stderr);
  const key = created.stdout.trim();

  const up = await runCli(['up'], { cwd: project.dir, timeoutMs: 240_000 });
  assert.equal(up.code, 0, up.stderr);
  const processes: ProcessesFile = JSON.parse(await readFile(join(project.dir, '.mcpgw', 'run', 'processes.json'), 'utf8'));
  assert.ok(processes.host, `the stdio host is a managed process: ${Object.keys(processes).join(', ')}`);

  const url = project.url;
  const anonymous = await fetch(`${url}/everything/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
  assert.equal(anonymous.status, 401, 'authd guards the stdio service like any other');

  const everything = await connect(`${url}/everything/mcp`, key);
  try {
    const { tools } = await everything.listTools();
    assert.ok(tools.some((tool) => tool.name === 'echo'), tools.map((tool) => tool.name).join(', '));
    assert.match(textOf(await everything.callTool({ name: 'echo', arguments: { message: 'through the gateway' } })), /through the gateway/);
  } finally {
    await everything.close();
  }

  // One long-lived child per service: state written by one client is seen by the next.
  const first = await connect(`${url}/memory/mcp`, key);
  await first.callTool({ name: 'create_entities', arguments: { entities: [{ name: 'Alice', entityType: 'person', observations: ['works at Acme'] }] } });
  await first.close();
  const second = await connect(`${url}/memory/mcp`, key);
  try {
    assert.match(textOf(await second.callTool({ name: 'read_graph', arguments: {} })), /Alice/);
  } finally {
    await second.close();
  }
});
