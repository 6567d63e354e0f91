// A temporary checkout whose registry.d runs the real server-everything and server-memory
// over stdio, a stdio host started on a free port for it, and SDK clients to talk to it.
import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadProject } from '../../../src/core/config/project.js';
import { startStdioHost, type StdioHost, type StdioHostOptions } from '../../../src/gateway/stdio-host/stdio-host.js';
import { tempProject } from '../../../testkit/cli.js';
import { EVERYTHING_BIN } from '../../../testkit/mcp-servers.js';

const require = createRequire(import.meta.url);
export const MEMORY_BIN = join(dirname(require.resolve('@modelcontextprotocol/server-memory/package.json')), 'dist', 'index.js');

/** registry.d YAML for server-everything over stdio; `extra` is appended as YAML lines. */
export function everythingYaml(name = 'everything', extra = ''): string {
  return `name: ${name}\ncommand:\n  run: [${JSON.stringify(process.execPath)}, ${JSON.stringify(EVERYTHING_BIN)}, stdio]\n${extra}`;
}

export function memoryYaml(dir: string, concurrency: 'per-service' | 'per-session' = 'per-service', name = 'memory'): string {
  return `name: ${name}\ncommand:\n  run: [${JSON.stringify(process.execPath)}, ${JSON.stringify(MEMORY_BIN)}]\n  env: { MEMORY_FILE_PATH: ${JSON.stringify(join(dir, `${name}.jsonl`))} }\n  concurrency: ${concurrency}\n`;
}

export interface RunningHost {
  dir: string;
  host: StdioHost;
  writeService(name: string, yaml: string): Promise<void>;
}

/** Start a host on port 0 for a checkout with these registry.d files; stopped after the test. */
export async function startHostFor(t: TestContext, files: Record<string, string> | ((dir: string) => Record<string, string>), options: StdioHostOptions = {}): Promise<RunningHost> {
  const project = await tempProject();
  const writeService = async (name: string, yaml: string) => {
    await mkdir(join(project.dir, 'registry.d'), { recursive: true });
    await writeFile(join(project.dir, 'registry.d', `${name}.yaml`), yaml);
  };
  for (const [name, yaml] of Object.entries(typeof files === 'function' ? files(project.dir) : files)) await writeService(name, yaml);
  const host = await startStdioHost(await loadProject(project.dir), { listen: '127.0.0.1:0', ...options });
  t.after(async () => {
    await host.close();
    await project.cleanup();
  });
  return { dir: project.dir, host, writeService };
}

/** An SDK client connected to <host>/<service>/mcp (Streamable HTTP) or /sse; closed after the test. */
export async function connectClient(t: TestContext, host: StdioHost, service: string, transport: 'streamable' | 'sse' = 'streamable'): Promise<Client> {
  const client = new Client({ name: `test-${transport}`, version: '1.0.0' });
  const url = new URL(`${host.url}/${service}/${transport === 'sse' ? 'sse' : 'mcp'}`);
  await client.connect(transport === 'sse' ? new SSEClientTransport(url) : new StreamableHTTPClientTransport(url));
  t.after(() => client.close());
  return client;
}

export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}

/** Wait until `check` returns a value (polling); fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the one child a service runs once it is ready. */
export function childPid(host: StdioHost, service: string): number | undefined {
  return host.status().find((s) => s.service === service)?.children.find((c) => c.state === 'ready')?.pid;
}
