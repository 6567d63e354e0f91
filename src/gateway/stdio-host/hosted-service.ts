// One stdio service as the host runs it: its child process(es) and the client sessions on
// them. `per-service` (default) shares one long-lived child by all sessions, so stateful
// servers keep their state; `per-session` gives each client session a child of its own.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { StateLayout } from '../../core/state/layout.js';
import { childSpec, type ChildSpec } from './child-spec.js';
import { ConcurrencyGate, type ClientLink } from './client-link.js';
import { ChildMultiplexer, type MuxSession } from './child-multiplexer.js';
import { SupervisedChild, type ChildStatus } from './supervised-child.js';

export interface ServiceStatus {
  service: string;
  concurrency: ChildSpec['concurrency'];
  sessions: number;
  children: ChildStatus[];
}

interface ChildAndMux {
  child: SupervisedChild;
  mux: ChildMultiplexer;
}

export class HostedService {
  readonly spec: ChildSpec;
  private readonly log: WriteStream;
  private readonly gate: ConcurrencyGate;
  private shared?: ChildAndMux;
  private readonly perSession = new Map<MuxSession, ChildAndMux>();

  constructor(
    readonly definition: ServiceDefinition,
    projectRoot: string,
    layout: StateLayout,
  ) {
    this.spec = childSpec(definition, projectRoot);
    const logFile = layout.logFile(definition.name);
    mkdirSync(dirname(logFile), { recursive: true });
    this.log = createWriteStream(logFile, { flags: 'a' });
    // A log that cannot be written (disk full, stderr after stop) must not take the host down.
    this.log.on('error', () => {});
    this.gate = new ConcurrencyGate(this.spec.limits.maxConcurrent);
  }

  get name(): string {
    return this.definition.name;
  }

  /** A client session; close it when the client goes away. */
  open(link: ClientLink): MuxSession {
    if (this.spec.concurrency === 'per-service') {
      this.shared ??= this.createChild();
      return this.shared.mux.open(link);
    }
    const own = this.createChild(() => {
      // The session's own child ends with it.
      this.perSession.delete(session);
      void own.child.stop();
    });
    const session = own.mux.open(link);
    this.perSession.set(session, own);
    return session;
  }

  status(): ServiceStatus {
    const all = [...(this.shared ? [this.shared] : []), ...this.perSession.values()];
    return {
      service: this.name,
      concurrency: this.spec.concurrency,
      sessions: all.reduce((n, c) => n + c.mux.sessions.size, 0),
      children: all.map((c) => c.child.status()),
    };
  }

  async stop(): Promise<void> {
    const all = [...(this.shared ? [this.shared] : []), ...this.perSession.values()];
    this.shared = undefined;
    this.perSession.clear();
    await Promise.all(all.map((c) => c.child.stop()));
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private createChild(onIdle?: () => void): ChildAndMux {
    let mux: ChildMultiplexer | undefined;
    const child = new SupervisedChild(this.spec, this.log, {
      onMessage: (message) => mux?.fromChild(message),
      onDown: (reason) => mux?.childDown(reason),
    });
    mux = new ChildMultiplexer(this.name, child, this.gate, { timeoutMs: this.spec.limits.timeoutMs, onIdle });
    return { child, mux };
  }
}
