import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT, tempProject } from '../../../testkit/cli.js';
import { stopChild } from '../../../testkit/mcp-servers.js';
import { everythingYaml, textOf } from './stdio-checkout.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

test('mcpgw host --listen 127.0.0.1:0 --json prints its URL, serves the stdio services and stops on SIGTERM', async (t) => {
  const project = await tempProject();
  t.after(project.cleanup);
  await mkdir(join(project.dir, 'registry.d'));
  await writeFile(join(project.dir, 'registry.d', 'everything.yaml'), everythingYaml());
  const host = spawn(process.execPath, ['--import', join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'host', '--listen', '127.0.0.1:0', '--json'], {
    cwd: project.dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => stopChild(host));
  let printed = '';
  for await (const line of createInterface({ input: host.stdout! })) {
    printed += line;
    if (line === '}') break;
  }
  const started = (JSON.parse(printed) as { data: { url: string; services: string[] } }).data;
  assert.deepEqual(started.services, ['everything']);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${started.url}/everything/mcp`)));
  assert.match(textOf(await client.callTool({ name: 'echo', arguments: { message: 'via the command' } })), /via the command/);
  await client.close();
  host.kill('SIGTERM');
  const [code] = await once(host, 'exit');
  assert.equal(code, 0);
});
