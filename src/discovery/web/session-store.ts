// Browser sessions and sign-ins in progress, in memory: a restart signs everyone out, which is
// the safe failure. Only the subject and groups are kept — never the provider's tokens.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../../core/identity/identity.js';

export interface WebSession {
  id: string;
  /** Sent by the page in X-CSRF-Token on every change. */
  csrf: string;
  subject: string;
  groups: string[];
  /** The identity provider that vouched for the person (absent for the operator's link): owner of their upstream connections. */
  issuer?: string;
  expiresAt: number;
  /** Signed in with the operator's one-time link: every right, like the CLI (they own the files). */
  operator?: boolean;
}

export interface PendingLogin {
  state: string;
  codeVerifier: string;
  expiresAt: number;
}

const LOGIN_TIMEOUT_MS = 10 * 60_000;
const randomId = () => randomBytes(32).toString('base64url');

export class SessionStore {
  private readonly sessions = new Map<string, WebSession>();
  private readonly pending = new Map<string, PendingLogin>();

  constructor(private readonly maxTtlMs: number, private readonly now: () => number = Date.now) {}

  /** A session lasts until the access token would expire, and never beyond the configured TTL. */
  create(identity: Pick<Identity, 'subject' | 'groups' | 'expiresAt' | 'issuer'>, options: { operator?: boolean } = {}): WebSession {
    this.sweep();
    const limit = this.now() + this.maxTtlMs;
    const session: WebSession = {
      id: randomId(),
      csrf: randomId(),
      subject: identity.subject,
      groups: identity.groups,
      ...(identity.issuer ? { issuer: identity.issuer } : {}),
      expiresAt: Math.min(limit, identity.expiresAt ?? limit),
      ...(options.operator ? { operator: true } : {}),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): WebSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (session && session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  startLogin(codeVerifier: string): PendingLogin {
    this.sweep();
    const login = { state: randomId(), codeVerifier, expiresAt: this.now() + LOGIN_TIMEOUT_MS };
    this.pending.set(login.state, login);
    return login;
  }

  /** A pending sign-in is used once. */
  takeLogin(state: string | undefined): PendingLogin | undefined {
    if (!state) return undefined;
    const login = this.pending.get(state);
    this.pending.delete(state);
    return login && login.expiresAt > this.now() ? login : undefined;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
    for (const [state, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(state);
  }
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
export function sameSecret(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
