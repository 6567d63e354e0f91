// Keeps one stdio server running and initialized: starts it on first use, performs the MCP
// initialize handshake once per process, restarts it with back-off when it dies, and kills
// it when it passes limits.memory_mb. Client traffic flows through `send` and `onMessage`.
import type { Writable } from 'node:stream';
import { LATEST_PROTOCOL_VERSION, type ClientCapabilities, type Implementation, type InitializeResult, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ChildSpec } from './child-spec.js';
import { ChildUnavailableError, LimitReachedError } from './errors.js';
import { processTreeRss } from './memory-usage.js';
import { startStdioProcess, type ProcessExit, type StdioProcess } from './stdio-process.js';

export type ChildState = 'idle' | 'starting' | 'ready' | 'backoff' | 'stopped';

export interface ChildEvents {
  /** Every message from the server except the answer to the host's own initialize. */
  onMessage(message: JSONRPCMessage): void;
  /** The running server went away; in-flight requests must be failed with `reason`. */
  onDown(reason: Error): void;
}

export interface ChildStatus {
  state: ChildState;
  pid?: number;
  restarts: number;
}

/** Who the host says it is when it initializes a child on behalf of its clients. */
export interface ClientIdentity {
  capabilities: ClientCapabilities;
  clientInfo: Implementation;
}

const INIT_TIMEOUT_MS = 60_000;
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 30_000;
/** A process that lived this long resets the back-off: it was not crash-looping. */
const STABLE_AFTER_MS = 10_000;
const MEMORY_CHECK_MS = 1000;

/** Back-off before restart number `failures` (1-based): 250 ms, 500 ms, 1 s … capped at 30 s. */
export function restartDelay(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, failures - 1));
}

export class SupervisedChild {
  private state: ChildState = 'idle';
  private process?: StdioProcess;
  private initResult?: InitializeResult;
  private identity?: ClientIdentity;
  private waiters: { resolve(r: InitializeResult): void; reject(e: Error): void }[] = [];
  private failures = 0;
  private restarts = 0;
  private initCounter = 0;
  private restartTimer?: NodeJS.Timeout;
  private memoryTimer?: NodeJS.Timeout;
  /** Why the host itself stopped the process (a limit), reported instead of the bare exit. */
  private exitReason?: string;
  private pendingReason?: Error;

  constructor(
    private readonly spec: ChildSpec,
    private readonly log: Writable,
    private readonly events: ChildEvents,
  ) {}

  status(): ChildStatus {
    return { state: this.state, pid: this.state === 'ready' ? this.process?.pid : undefined, restarts: this.restarts };
  }

  /** The server's initialize result; starts the server with `identity` if it is not running. */
  ready(identity: ClientIdentity): Promise<InitializeResult> {
    this.identity ??= identity;
    if (this.state === 'ready' && this.initResult) return Promise.resolve(this.initResult);
    if (this.state === 'stopped') return Promise.reject(new ChildUnavailableError(`stdio server ${this.spec.service} was stopped`));
    const waiting = new Promise<InitializeResult>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.state === 'idle') this.start();
    return waiting;
  }

  send(message: JSONRPCMessage): boolean {
    if (this.state !== 'ready' || !this.process) return false;
    this.process.send(message);
    return true;
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.restartTimer);
    clearInterval(this.memoryTimer);
    this.settle(new ChildUnavailableError(`stdio server ${this.spec.service} was stopped`));
    await this.process?.stop();
  }

  private start(): void {
    this.state = 'starting';
    this.initResult = undefined;
    let env: Record<string, string>;
    try {
      env = this.spec.resolveEnv();
    } catch (err) {
      // A missing secret will not fix itself by restarting; report it to the waiting clients.
      this.state = 'idle';
      this.settle(new ChildUnavailableError(`stdio server ${this.spec.service} cannot start: ${(err as Error).message}`));
      return;
    }
    const startedAt = Date.now();
    const initId = `mcpgw-init-${++this.initCounter}`;
    let initTimer: NodeJS.Timeout | undefined;
    const proc = startStdioProcess({
      argv: this.spec.argv,
      cwd: this.spec.cwd,
      env,
      log: this.log,
      onMessage: (message) => {
        if ('id' in message && message.id === initId && !('method' in message)) {
          clearTimeout(initTimer);
          this.onInitialized(message, proc);
        } else if (this.process === proc) this.events.onMessage(message);
      },
    });
    this.process = proc;
    this.note(`started ${this.spec.argv.join(' ')} (pid ${proc.pid ?? '?'})`);
    initTimer = setTimeout(() => {
      this.note(`no answer to initialize after ${INIT_TIMEOUT_MS} ms; stopping it`);
      void proc.stop();
    }, INIT_TIMEOUT_MS);
    initTimer.unref();
    proc.send({
      jsonrpc: '2.0',
      id: initId,
      method: 'initialize',
      params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: this.identity?.capabilities ?? {}, clientInfo: this.identity?.clientInfo ?? { name: 'mcpgw', version: '0' } },
    });
    void proc.exited.then((exit) => {
      clearTimeout(initTimer);
      this.onExit(proc, exit, Date.now() - startedAt);
    });
  }

  private onInitialized(message: JSONRPCMessage, proc: StdioProcess): void {
    if (this.process !== proc || this.state !== 'starting') return;
    if (!('result' in message)) {
      const reason = 'error' in message ? message.error.message : 'no result';
      this.note(`initialize failed: ${reason}`);
      void proc.stop();
      return;
    }
    this.initResult = message.result as InitializeResult;
    this.state = 'ready';
    proc.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    this.watchMemory(proc);
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w.resolve(this.initResult);
  }

  private onExit(proc: StdioProcess, exit: ProcessExit, livedMs: number): void {
    clearInterval(this.memoryTimer);
    if (this.process !== proc) return;
    const wasReady = this.state === 'ready';
    const why = this.exitReason ?? describeExit(exit);
    this.exitReason = undefined;
    if (this.state === 'stopped') return;
    this.note(`exited: ${why}`);
    this.failures = livedMs > STABLE_AFTER_MS ? 1 : this.failures + 1;
    const reason = this.pendingReason ?? new ChildUnavailableError(`stdio server ${this.spec.service} ${wasReady ? 'exited' : 'could not start'} (${why}); mcpgw restarts it — retry the request`);
    this.pendingReason = undefined;
    if (wasReady) this.events.onDown(reason);
    else this.settle(reason);
    const delay = restartDelay(this.failures);
    this.state = 'backoff';
    this.note(`restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restarts += 1;
      this.start();
    }, delay);
    this.restartTimer.unref();
  }

  private watchMemory(proc: StdioProcess): void {
    const limitMb = this.spec.limits.memoryMb;
    if (!limitMb || proc.pid === undefined) return;
    const pid = proc.pid;
    this.memoryTimer = setInterval(() => {
      void processTreeRss(pid).then((rss) => {
        if (rss === undefined || rss <= limitMb * 1024 * 1024 || this.process !== proc) return;
        const used = Math.round(rss / 1024 / 1024);
        this.exitReason = `killed: uses ${used} MB, over limits.memory_mb ${limitMb}`;
        this.pendingReason = new LimitReachedError('memory_mb', `stdio server ${this.spec.service} used ${used} MB, over its limit of ${limitMb} MB (limits.memory_mb); it was killed and restarts — retry the request`, limitMb);
        void proc.stop();
      });
    }, MEMORY_CHECK_MS);
    this.memoryTimer.unref();
  }

  private settle(reason: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(reason);
  }

  private note(text: string): void {
    this.log.write(`[mcpgw ${new Date().toISOString()}] ${text}\n`);
  }
}

function describeExit(exit: ProcessExit): string {
  if (exit.startError) return exit.startError;
  if (exit.signal) return `signal ${exit.signal}`;
  return `exit code ${exit.code ?? '?'}`;
}
