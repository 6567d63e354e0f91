// One running stdio server process: newline-delimited JSON-RPC on stdin/stdout (MCP stdio
// transport), stderr appended to the service's log. No restarts here — see supervised-child.ts.
import type { Writable } from 'node:stream';
import { execa } from 'execa';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface ProcessExit {
  code?: number;
  signal?: string;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  startError?: string;
}

export interface StdioProcess {
  pid?: number;
  send(message: JSONRPCMessage): void;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
  stop(): Promise<void>;
  exited: Promise<ProcessExit>;
}

export interface StdioProcessOptions {
  argv: [string, ...string[]];
  cwd: string;
  env: Record<string, string>;
  /** Receives the child's stderr and lines that say why it did not produce a message. */
  log: Writable;
  onMessage(message: JSONRPCMessage): void;
}

const STOP_GRACE_MS = 3000;

export function startStdioProcess(options: StdioProcessOptions): StdioProcess {
  const [file, ...args] = options.argv;
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    // Children go away with the host, also when it is killed.
    cleanup: true,
    forceKillAfterDelay: STOP_GRACE_MS,
  });
  const reader = new ReadBuffer();
  child.stdout?.on('data', (chunk: Buffer) => {
    try {
      reader.append(chunk);
    } catch (err) {
      // A message over the SDK's buffer bound: the stream cannot be resynchronised.
      options.log.write(`[mcpgw] ${(err as Error).message}; stopping the server\n`);
      reader.clear();
      child.kill('SIGTERM');
      return;
    }
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = reader.readMessage();
      } catch (err) {
        // A line that is not JSON-RPC: servers must not print anything else on stdout.
        options.log.write(`[mcpgw] ignored a stdout line that is not JSON-RPC: ${(err as Error).message}\n`);
        continue;
      }
      if (message === null) break;
      options.onMessage(message);
    }
  });
  child.stderr?.pipe(options.log, { end: false });
  // Writing to a dead child's stdin raises EPIPE; the exit handler reports the real cause.
  child.stdin?.on('error', () => {});

  const exited = child.then(
    (result): ProcessExit => {
      const startError = result.failed && result.exitCode === undefined && !result.signal ? result.shortMessage : undefined;
      return { code: result.exitCode, signal: result.signal, startError };
    },
    (err: Error): ProcessExit => ({ startError: err.message }),
  );

  return {
    pid: child.pid,
    send(message) {
      if (child.stdin?.writable) child.stdin.write(serializeMessage(message));
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    exited,
  };
}
