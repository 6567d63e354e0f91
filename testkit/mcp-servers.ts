// The real @modelcontextprotocol/server-everything, started on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort, waitForPort } from './ports.js';
import { reapOnExit } from './reap-on-exit.js';

const require = createRequire(import.meta.url);
export const EVERYTHING_BIN = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist', 'index.js');

export interface RunningServer {
  port: number;
  /** URL a client connects to: …/mcp for streamable HTTP, …/sse for SSE. */
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startEverything(mode: 'streamableHttp' | 'sse'): Promise<RunningServer> {
  const port = await freePort();
  const child = reapOnExit(spawn(process.execPath, [EVERYTHING_BIN, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  }));
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  try {
    await waitForPort(port);
  } catch (err) {
    child.kill();
    throw new Error(`server-everything ${mode} did not start: ${stderr}`, { cause: err });
  }
  return {
    port,
    url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    child,
    stop: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}
