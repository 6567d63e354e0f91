// One stdio service as the host runs it: its child process(es) and the client sessions on
// them. `per-service` (default) shares one long-lived child by the sessions whose clients
// declare no capability the server could call back (sampling, elicitation, roots), so
// stateful servers keep their state; a session that declares one — and every session under
// `per-session` — gets a child of its own, initialized with its own capabilities (see
// child-placement.ts for why).
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { StateLayout } from '../../core/state/layout.js';
import { childSpec, type ChildSpec } from './child-spec.js';
import { ConcurrencyGate, type ClientLink } from './client-link.js';
import { ChildMultiplexer, type MuxSession } from './child-multiplexer.js';
import { needsOwnChild, placementIdentity } from './child-placement.js';
import { HostSession } from './host-session.js';
import { SupervisedChild, type ChildStatus, type ClientIdentity } from './supervised-child.js';

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
    // Every running child pipes its stderr here (one per callback-capable session).
    this.log.setMaxListeners(0);
    this.gate = new ConcurrencyGate(this.spec.limits.maxConcurrent);
  }

  get name(): string {
    return this.definition.name;
  }

  /** A client session; it finds its child on its first message. Close it when the client goes away. */
  open(link: ClientLink): HostSession {
    return new HostSession(link, (identity) => this.place(link, identity));
  }

  /** Attach a session to the shared child, or to a new one of its own. */
  private place(link: ClientLink, identity: ClientIdentity): MuxSession {
    if (this.spec.concurrency === 'per-service' && !needsOwnChild(identity, link.stateful)) {
      this.shared ??= this.createChild(true);
      return this.shared.mux.open(link);
    }
    const own = this.createChild(false, () => {
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

  private createChild(shared: boolean, onIdle?: () => void): ChildAndMux {
    let mux: ChildMultiplexer | undefined;
    const child = new SupervisedChild(this.spec, this.log, {
      onMessage: (message) => mux?.fromChild(message),
      onDown: (reason) => mux?.childDown(reason),
    });
    const upstream = {
      ready: (identity: ClientIdentity) => child.ready(placementIdentity(identity, shared)),
      send: (message: Parameters<SupervisedChild['send']>[0]) => child.send(message),
    };
    mux = new ChildMultiplexer(this.name, upstream, this.gate, { timeoutMs: this.spec.limits.timeoutMs, onIdle });
    return { child, mux };
  }
}
