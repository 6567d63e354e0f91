// Many client sessions onto one stdio server. Request ids and progress tokens are rewritten
// into one namespace per child and mapped back on the way out; the child is initialized once
// (supervised-child.ts) and each client's initialize is answered from that result. What the
// child sends on its own reaches only the session(s) it can belong to, never a guess.
import {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type Implementation,
  type InitializeResult,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { ClientLink, ConcurrencyGate } from './client-link.js';
import { ChildUnavailableError, errorResponse, errorResponseFor, LimitReachedError, RPC } from './errors.js';
import type { ClientIdentity } from './supervised-child.js';
import { discoverResult, NOT_REUSABLE } from '../../core/wire/modern-results.js';
import { identityOf } from './host-session.js';

export interface UpstreamChild {
  ready(identity: ClientIdentity): Promise<InitializeResult>;
  /** False when the child is not running (it died between ready() and now). */
  send(message: JSONRPCMessage): boolean;
}

interface ForwardedRequest {
  session: MuxSession;
  clientId: RequestId;
  clientToken?: string | number;
  hostToken?: string;
  timer?: NodeJS.Timeout;
}

/** The version the host answers a client's initialize with: the client's, when it is one the host speaks. */
export function negotiatedVersion(requested: unknown): string {
  return typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
}

export class ChildMultiplexer {
  private nextId = 1;
  private readonly forwarded = new Map<number, ForwardedRequest>();
  private readonly progress = new Map<string, ForwardedRequest>();
  /** Server→client requests in flight: the child's id ↔ the session and the id the client saw. */
  private readonly relayed = new Map<string, { session: MuxSession; localId: string }>();
  readonly sessions = new Set<MuxSession>();

  constructor(
    readonly service: string,
    private readonly child: UpstreamChild,
    private readonly gate: ConcurrencyGate,
    private readonly options: { timeoutMs?: number; /** Called when the last session closes. */ onIdle?: () => void } = {},
  ) {}

  open(link: ClientLink): MuxSession {
    const session = new MuxSession(this, link);
    this.sessions.add(session);
    return session;
  }

  /** Wire to SupervisedChild's onMessage. */
  fromChild(message: JSONRPCMessage): void {
    if ('method' in message && 'id' in message) return this.relayRequest(message as JSONRPCRequest);
    if ('method' in message) return this.relayNotification(message as JSONRPCNotification);
    const hostId = typeof message.id === 'number' ? message.id : Number.NaN;
    const entry = this.forwarded.get(hostId);
    if (!entry) return; // answered already (timeout, cancel) or for a closed session
    this.finish(hostId, entry);
    entry.session.link.send({ ...message, id: entry.clientId } as JSONRPCMessage, entry.clientId);
  }

  /** Wire to SupervisedChild's onDown: nothing in flight will be answered by the old process. */
  childDown(reason: Error): void {
    for (const [hostId, entry] of [...this.forwarded]) {
      this.finish(hostId, entry);
      entry.session.link.send(errorResponseFor(entry.clientId, reason), entry.clientId);
    }
    for (const { session, localId } of this.relayed.values()) session.relayedIds.delete(localId);
    this.relayed.clear();
  }

  /** @internal */ forward(session: MuxSession, request: JSONRPCRequest, identity: ClientIdentity): void {
    if (!this.gate.tryEnter()) {
      const max = this.gate.max ?? 0;
      const err = new LimitReachedError('max_concurrent', `${this.service} already has ${max} request(s) in flight (limits.max_concurrent ${max}); retry later`, max);
      session.link.send(errorResponseFor(request.id, err), request.id);
      return;
    }
    const hostId = this.nextId++;
    const entry: ForwardedRequest = { session, clientId: request.id };
    this.forwarded.set(hostId, entry);
    const params = request.params ? { ...request.params } : undefined;
    const meta = params?._meta as Record<string, unknown> | undefined;
    if (params && meta?.progressToken !== undefined) {
      // Two clients may use the same token (the SDK uses its request id), so tokens are rewritten too.
      entry.clientToken = meta.progressToken as string | number;
      entry.hostToken = `mcpgw-${hostId}`;
      params._meta = { ...meta, progressToken: entry.hostToken };
      this.progress.set(entry.hostToken, entry);
    }
    if (this.options.timeoutMs) {
      const ms = this.options.timeoutMs;
      entry.timer = setTimeout(() => {
        this.cancel(hostId, `timed out after ${ms} ms`);
        const err = new LimitReachedError('timeout', `${this.service} did not answer ${request.method} within ${ms} ms (limits.timeout)`, ms);
        session.link.send(errorResponseFor(request.id, err), request.id);
      }, ms);
      entry.timer.unref();
    }
    this.child.ready(identity).then(
      () => {
        if (!this.forwarded.has(hostId) || this.child.send({ ...request, id: hostId, ...(params ? { params } : {}) })) return;
        this.finish(hostId, entry);
        session.link.send(errorResponseFor(request.id, new ChildUnavailableError(`stdio server ${this.service} is restarting; retry the request`)), request.id);
      },
      (err: Error) => {
        if (!this.forwarded.has(hostId)) return;
        this.finish(hostId, entry);
        session.link.send(errorResponseFor(request.id, err), request.id);
      },
    );
  }

  /** @internal */ ready(identity: ClientIdentity): Promise<InitializeResult> {
    return this.child.ready(identity);
  }

  /** @internal */ sendToChild(message: JSONRPCMessage): void {
    this.child.send(message);
  }

  /** @internal Client cancelled its request, or its session went away. */
  cancelFor(session: MuxSession, clientId: RequestId | undefined, reason: string): void {
    for (const [hostId, entry] of [...this.forwarded]) {
      if (entry.session === session && (clientId === undefined || entry.clientId === clientId)) this.cancel(hostId, reason);
    }
  }

  /** @internal */ close(session: MuxSession): void {
    this.cancelFor(session, undefined, 'client disconnected');
    for (const localId of session.relayedIds.keys()) this.relayed.delete(String(session.relayedIds.get(localId)));
    this.sessions.delete(session);
    if (this.sessions.size === 0) this.options.onIdle?.();
  }

  private cancel(hostId: number, reason: string): void {
    const entry = this.forwarded.get(hostId);
    if (!entry) return;
    this.finish(hostId, entry);
    this.child.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: hostId, reason } });
  }

  private finish(hostId: number, entry: ForwardedRequest): void {
    clearTimeout(entry.timer);
    this.forwarded.delete(hostId);
    if (entry.hostToken) this.progress.delete(entry.hostToken);
    this.gate.leave();
  }

  private relayRequest(request: JSONRPCRequest): void {
    if (request.method === 'ping') {
      this.child.send({ jsonrpc: '2.0', id: request.id, result: {} });
      return;
    }
    // Sampling, elicitation, roots. stdio carries no link from this request to the client
    // request that caused it, so it is delivered only when the child serves one session (the
    // host gives every session that declares such capabilities a child of its own —
    // hosted-service.ts); with several sessions any choice would be a guess, so it is refused.
    const session = this.onlySession();
    if (!session) {
      const why = this.sessions.size === 0 ? 'no client session is connected' : 'this process is shared by several client sessions, so mcpgw cannot tell which one it is for';
      this.child.send(errorResponse(request.id, RPC.METHOD_NOT_FOUND, `mcpgw refused ${request.method}: ${why}`));
      return;
    }
    const localId = `mcpgw-${this.nextId++}`;
    session.relayedIds.set(localId, request.id);
    this.relayed.set(String(request.id), { session, localId });
    session.link.send({ ...request, id: localId }, this.latestInFlight(session));
  }

  /** The one stateful session on this child, if there is exactly one. */
  private onlySession(): MuxSession | undefined {
    if (this.sessions.size !== 1) return undefined;
    const [only] = this.sessions;
    return only!.link.stateful ? only : undefined;
  }

  /** The client's id of the session's newest request still in flight (its response stream is open). */
  private latestInFlight(session: MuxSession): RequestId | undefined {
    return this.inFlightOf(session).at(-1);
  }

  /** @internal */ inFlightOf(session: MuxSession): RequestId[] {
    return [...this.forwarded.values()].filter((e) => e.session === session).map((e) => e.clientId);
  }

  private relayNotification(note: JSONRPCNotification): void {
    const params = note.params as Record<string, unknown> | undefined;
    if (note.method === 'notifications/progress') {
      const entry = this.progress.get(String(params?.progressToken));
      if (entry) entry.session.link.send({ ...note, params: { ...params, progressToken: entry.clientToken } }, entry.clientId);
      return;
    }
    if (note.method === 'notifications/cancelled') {
      const target = this.relayed.get(String(params?.requestId));
      if (!target) return;
      this.relayed.delete(String(params?.requestId));
      target.session.relayedIds.delete(target.localId);
      target.session.link.send({ ...note, params: { ...params, requestId: target.localId } });
      return;
    }
    if (note.method === 'notifications/message') {
      // A log line may carry one caller's data and names no request: only a child's sole session gets it.
      const only = this.onlySession();
      if (only) only.link.send(note, this.latestInFlight(only));
      return;
    }
    if (note.method === 'notifications/resources/updated') {
      const uri = String(params?.uri);
      for (const session of this.sessions) if (session.link.stateful && session.subscriptions.has(uri)) session.link.send(note);
      return;
    }
    // List changes: every session that may receive them (they say only that a list changed).
    for (const session of this.sessions) if (session.link.stateful) session.link.send(note);
  }

  /** @internal Another session still subscribed to `uri`: the child's subscription must stay. */
  subscribedElsewhere(session: MuxSession, uri: string): boolean {
    return [...this.sessions].some((s) => s !== session && s.subscriptions.has(uri));
  }
}

/** One client's view of a shared child. */
export class MuxSession {
  /** Ids this client saw on server→client requests → the child's ids. */
  readonly relayedIds = new Map<string, RequestId>();
  /** Resource URIs this client subscribed to: only it gets their notifications/resources/updated. */
  readonly subscriptions = new Set<string>();
  private identity?: ClientIdentity;
  /** A session-less request's identity (its _meta), as the child was asked for with it. */
  private placedAs?: ClientIdentity;

  constructor(
    private readonly mux: ChildMultiplexer,
    readonly link: ClientLink,
  ) {}

  receive(message: JSONRPCMessage): void {
    if ('method' in message && 'id' in message) return this.onRequest(message as JSONRPCRequest);
    if ('method' in message) return this.onNotification(message as JSONRPCNotification);
    // A response to a server→client request.
    const childId = this.relayedIds.get(String(message.id));
    if (childId === undefined) return;
    this.relayedIds.delete(String(message.id));
    this.mux.sendToChild({ ...message, id: childId } as JSONRPCMessage);
  }

  close(): void {
    this.mux.close(this);
  }

  private onRequest(request: JSONRPCRequest): void {
    const params = (request.params ?? {}) as Record<string, unknown>;
    if (request.method === 'initialize') {
      this.identity = identityOf(request);
      return this.answer(request, (init) => ({ ...init, protocolVersion: negotiatedVersion(params.protocolVersion) }));
    }
    if (request.method === 'ping') return this.link.send({ jsonrpc: '2.0', id: request.id, result: {} }, request.id);
    if (request.method === 'server/discover') {
      // Whether the child says the same to every client is not the host's to know: not reusable.
      return this.answer(request, (init) => discoverResult(init, NOT_REUSABLE));
    }
    if (request.method === 'resources/subscribe' || request.method === 'resources/unsubscribe') {
      const uri = String(params.uri);
      const subscribe = request.method === 'resources/subscribe';
      if (subscribe) this.subscriptions.add(uri);
      else this.subscriptions.delete(uri);
      // The child has one subscription for all sessions: keep it while another session needs it.
      if (!subscribe && this.mux.subscribedElsewhere(this, uri)) return this.link.send({ jsonrpc: '2.0', id: request.id, result: {} }, request.id);
    }
    this.mux.forward(this, request, this.identityFor(request));
  }

  private onNotification(note: JSONRPCNotification): void {
    // The child got its own notifications/initialized when the host initialized it.
    if (note.method === 'notifications/initialized') return;
    if (note.method === 'notifications/cancelled') {
      const requestId = (note.params as { requestId?: RequestId } | undefined)?.requestId;
      this.mux.cancelFor(this, requestId, String((note.params as { reason?: string } | undefined)?.reason ?? 'cancelled by the client'));
      return;
    }
    this.mux.sendToChild(note);
  }

  private answer(request: JSONRPCRequest, result: (init: InitializeResult) => Record<string, unknown>): void {
    this.mux.ready(this.identityFor(request)).then(
      (init) => this.link.send({ jsonrpc: '2.0', id: request.id, result: result(init) }, request.id),
      (err: Error) => this.link.send(errorResponseFor(request.id, err), request.id),
    );
  }

  /** The identity to start the child with: from initialize, or a 2026-07-28 request's _meta. */
  private identityFor(request: JSONRPCRequest): ClientIdentity {
    return this.identity ?? (this.placedAs ??= identityOf(request));
  }

  /** The serverInfo its child initialized with (after this session's first request). */
  serverInfo(): Promise<Implementation> {
    const identity = this.identity ?? this.placedAs;
    if (!identity) return Promise.reject(new Error('no request of this session has reached the child'));
    return this.mux.ready(identity).then((init) => init.serverInfo);
  }

  /** @internal The client's ids of this session's requests in flight, oldest first. */
  inFlight(): RequestId[] {
    return this.mux.inFlightOf(this);
  }
}
