// Keeps a session's GET stream ahead of its first calls across the gateway. A client opens its
// GET stream right after initialize and POSTs a call without waiting for the stream (the SDK
// client does; the spec lets it). Each takes its own forward_auth round trip here, and when the
// call reaches the upstream first, a server→client request the upstream sends on the GET stream
// that is not open yet is lost (an SDK server drops it) and the call hangs.
//
// So a POST carrying a request waits while a GET of its session is open-ended: from the GET's
// arrival here until Caddy reports (GET /stream-open, sent from the route's handle_response
// once the upstream answered the GET — proxy-chain's streamOpenReport — or /challenge for a
// refusal with a challenge) that the upstream has accepted or refused it, or until authd
// refused the GET itself. A route that does not report (a Caddyfile render: Caddy 2.6's
// Caddyfile cannot express the report) says so by not sending X-Mcpgw-Stream-Report; its GETs
// count as open for GET_GRACE_MS after authd allowed them. The first call of a session that has
// opened no GET stream yet waits at most FIRST_GET_WAIT_MS for one to come (the client sends
// both at once, and may never open one). Nothing else waits.
import { randomUUID } from 'node:crypto';

/** A GET of a route that does not report its upstream's answer: open this long after it was allowed (Caddy proxies it). */
export const GET_GRACE_MS = 25;
/** A session's first call waits at most this long for its GET stream (clients may never open one). */
export const FIRST_GET_WAIT_MS = 150;
/**
 * A reported GET whose report never comes (the upstream could not be reached or did not answer
 * in time, the client went away first) stops holding calls after this long.
 */
export const STREAM_REPORT_WAIT_MS = 5_000;
/** A session not seen for this long is forgotten (and would count as new again). */
export const SESSION_MEMORY_MS = 10 * 60_000;
/** At most this many sessions are remembered (the oldest go first). */
const MAX_SESSIONS = 50_000;

export interface OrderTimings {
  graceMs: number;
  firstGetWaitMs: number;
  reportWaitMs: number;
  memoryMs: number;
}

const DEFAULT_TIMINGS: OrderTimings = { graceMs: GET_GRACE_MS, firstGetWaitMs: FIRST_GET_WAIT_MS, reportWaitMs: STREAM_REPORT_WAIT_MS, memoryMs: SESSION_MEMORY_MS };

/** What `order` needs of a request to authd's /verify. */
export interface OrderedRequest {
  /** The Streamable HTTP session (undefined: nothing to order). */
  session: string | undefined;
  /** The client's HTTP method (X-Forwarded-Method). */
  method: string | undefined;
  /** Caddy's id of the client's request (X-Mcpgw-Request-Id): the stream-open report names it. */
  requestId: string | undefined;
  /** The route reports when the upstream answered a GET (X-Mcpgw-Stream-Report). */
  reports: boolean;
  /** The body holds a JSON-RPC request (asked only for POSTs). */
  carriesCall(): boolean;
}

interface SessionStreams {
  lastSeen: number;
  /** Set by the session's first call: until then calls wait for a GET to come. */
  firstCallDeadline?: number;
  /** A GET of the session came (decided or not). */
  sawGet: boolean;
  /** GETs not settled yet, by request id → the timer that ends their hold. */
  open: Map<string, NodeJS.Timeout | undefined>;
  /** Calls waiting for a change of `open` or `sawGet`. */
  waiters: (() => void)[];
}

export class SessionStreamOrder {
  private readonly sessions = new Map<string, SessionStreams>();
  private readonly timings: OrderTimings;

  constructor(timings: Partial<OrderTimings> = {}) {
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
  }

  /** Run `decide` for a request to /verify, holding a session's first calls behind its GET stream. */
  async order<T extends { status: number }>(req: OrderedRequest, decide: () => Promise<T>): Promise<T> {
    if (!req.session) return decide();
    const entry = this.entry(req.session);
    if (req.method === 'GET') return this.openGet(entry, req, decide);
    if (req.method === 'POST' && req.carriesCall()) await this.afterGets(entry);
    if (req.method === 'DELETE') this.sessions.delete(req.session);
    return decide();
  }

  /** Caddy reports that the upstream answered the GET `requestId` of `session` (any status): it no longer holds calls. */
  streamAnswered(session: string | undefined, requestId: string | undefined): void {
    const entry = session ? this.sessions.get(session) : undefined;
    if (entry && requestId) this.settle(entry, requestId);
  }

  private entry(session: string): SessionStreams {
    const now = Date.now();
    let entry = this.sessions.get(session);
    if (entry && now - entry.lastSeen > this.timings.memoryMs && entry.open.size === 0) entry = undefined;
    if (!entry) {
      entry = { lastSeen: now, sawGet: false, open: new Map(), waiters: [] };
      this.forgetOld(now);
    }
    entry.lastSeen = now;
    // Map order is insertion order: re-inserting keeps the least recently seen first.
    this.sessions.delete(session);
    this.sessions.set(session, entry);
    return entry;
  }

  /** Drop sessions not seen for memoryMs (the least recently seen come first), and keep at most MAX_SESSIONS. */
  private forgetOld(now: number): void {
    for (const [session, entry] of this.sessions) {
      const stale = now - entry.lastSeen > this.timings.memoryMs && entry.open.size === 0;
      if (!stale && this.sessions.size < MAX_SESSIONS) return;
      this.sessions.delete(session);
    }
  }

  private async openGet<T extends { status: number }>(entry: SessionStreams, req: OrderedRequest, decide: () => Promise<T>): Promise<T> {
    const id = req.requestId ?? randomUUID();
    entry.sawGet = true;
    entry.open.set(id, undefined);
    this.changed(entry);
    let answer: T;
    try {
      answer = await decide();
    } catch (err) {
      this.settle(entry, id);
      throw err;
    }
    // Refused here: the upstream never sees it. Allowed: open until reported (or, unreported, a grace).
    if (answer.status >= 300) this.settle(entry, id);
    else if (entry.open.has(id)) {
      const hold = req.reports && req.requestId ? this.timings.reportWaitMs : this.timings.graceMs;
      entry.open.set(id, setTimeout(() => this.settle(entry, id), hold).unref());
    }
    return answer;
  }

  private settle(entry: SessionStreams, id: string): void {
    if (!entry.open.has(id)) return;
    clearTimeout(entry.open.get(id));
    entry.open.delete(id);
    this.changed(entry);
  }

  private changed(entry: SessionStreams): void {
    const waiters = entry.waiters.splice(0);
    for (const wake of waiters) wake();
  }

  /** Until no GET of the session is open — and, until the session's first GET came, at most FIRST_GET_WAIT_MS from its first call. */
  private async afterGets(entry: SessionStreams): Promise<void> {
    for (;;) {
      if (entry.open.size > 0) {
        // Every open GET ends by its report, its refusal or its timer, each a change.
        await this.nextChange(entry);
        continue;
      }
      if (entry.sawGet) return;
      entry.firstCallDeadline ??= Date.now() + this.timings.firstGetWaitMs;
      const left = entry.firstCallDeadline - Date.now();
      if (left <= 0) return;
      await this.nextChange(entry, left);
    }
  }

  private nextChange(entry: SessionStreams, ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      entry.waiters.push(wake);
      if (ms !== undefined) {
        timer = setTimeout(() => {
          const i = entry.waiters.indexOf(wake);
          if (i >= 0) entry.waiters.splice(i, 1);
          resolve();
        }, ms);
      }
    });
  }
}
