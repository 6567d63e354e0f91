// Keeps a session's GET stream ahead of its first calls across the gateway. A client opens its
// GET stream right after initialize and POSTs a call without waiting for the stream (the SDK
// client does; the spec lets it). Each takes its own forward_auth round trip here, and when the
// call reaches the upstream first, a server→client request the upstream sends on the GET stream
// that is not open yet is lost (an SDK server drops it) and the call hangs. So a POST carrying a
// request waits (a) while a GET of its session is being decided and for a short grace after it
// was allowed (Caddy then dials the upstream), and (b) when its session is new and has opened no
// GET stream yet, for a GET to come — at most FIRST_GET_WAIT_MS. Nothing else waits.

/** After a GET was allowed, its session's calls wait this long more (Caddy proxies the GET). */
export const GET_GRACE_MS = 25;
/** A new session's calls wait at most this long for its GET stream (clients may never open one). */
export const FIRST_GET_WAIT_MS = 150;

interface SessionStreams {
  firstSeen: number;
  deciding: number;
  /** Resolved when a GET of the session was allowed (or refused). */
  getAnswered: Promise<void>;
  answer(): void;
  answeredAt?: number;
}

export class SessionStreamOrder {
  private readonly sessions = new Map<string, SessionStreams>();

  constructor(
    private readonly graceMs = GET_GRACE_MS,
    private readonly firstGetWaitMs = FIRST_GET_WAIT_MS,
  ) {}

  /** Run `decide` for a request (`method`: the HTTP method; `carriesCall`: its body holds a JSON-RPC request). */
  async order<T>(session: string | undefined, method: string | undefined, carriesCall: () => boolean, decide: () => Promise<T>): Promise<T> {
    if (!session) return decide();
    const entry = this.entry(session);
    if (method === 'GET') return this.deciding(entry, decide);
    if (method === 'POST' && carriesCall()) await this.afterGet(entry);
    return decide();
  }

  private entry(session: string): SessionStreams {
    let entry = this.sessions.get(session);
    if (!entry) {
      let answer!: () => void;
      const getAnswered = new Promise<void>((r) => (answer = r));
      entry = { firstSeen: Date.now(), deciding: 0, getAnswered, answer };
      this.sessions.set(session, entry);
      // The ordering matters only at a session's start: forget it soon after.
      setTimeout(() => this.sessions.delete(session), Math.max(10 * this.firstGetWaitMs, 5_000)).unref();
    }
    return entry;
  }

  private async deciding<T>(entry: SessionStreams, decide: () => Promise<T>): Promise<T> {
    entry.deciding += 1;
    try {
      return await decide();
    } finally {
      entry.deciding -= 1;
      entry.answeredAt = Date.now();
      entry.answer();
    }
  }

  private async afterGet(entry: SessionStreams): Promise<void> {
    if (entry.answeredAt === undefined || entry.deciding > 0) {
      const left = entry.firstSeen + this.firstGetWaitMs - Date.now();
      if (entry.deciding === 0 && left <= 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([entry.getAnswered, new Promise((r) => (timer = setTimeout(r, Math.max(left, this.graceMs * 4))))]);
      clearTimeout(timer);
      if (entry.answeredAt === undefined) return;
    }
    const wait = entry.answeredAt + this.graceMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}
