// A session belongs to the identity that opened it — one rule for every session the gateway
// carries: Streamable HTTP (`Mcp-Session-Id`), legacy SSE (`?sessionId=`), and the registry
// server's own SSE streams. Another caller holding the id (even with the same rights) may not
// GET its stream, POST into it or DELETE it. Where the opener is known (the registry server
// creates its sessions) it is bound then; authd sees only requests, so it binds a session to
// the first identity that uses it: the id travels only in the answer to the opener, whose next
// request (notifications/initialized, the first message POST) presents it before anyone else
// can know it. Bounded in memory; a forgotten binding is made again on next use.
import type { Identity } from '../identity/identity.js';

/** Who owns a session: subject within its kind and issuer (an API key named like a user is not that user). */
export function sessionOwnerOf(identity: Pick<Identity, 'subject' | 'kind' | 'issuer'>): string {
  return JSON.stringify([identity.kind, identity.issuer ?? '', identity.subject]);
}

export type SessionVerdict = 'owner' | 'bound-now' | 'foreign';

export class SessionBindings {
  private readonly owners = new Map<string, string>();

  constructor(private readonly maxSessions = 100_000) {}

  private key(scope: string, sessionId: string): string {
    return `${scope}\u0000${sessionId}`;
  }

  /** The opener is known: bind the session to it. */
  bind(scope: string, sessionId: string, owner: string): void {
    const key = this.key(scope, sessionId);
    this.owners.delete(key);
    if (this.owners.size >= this.maxSessions) this.owners.delete(this.owners.keys().next().value!);
    this.owners.set(key, owner);
  }

  /** Whose session this is for `owner`; an unknown session is bound to them now. */
  check(scope: string, sessionId: string, owner: string): SessionVerdict {
    const bound = this.owners.get(this.key(scope, sessionId));
    if (bound === undefined) {
      this.bind(scope, sessionId, owner);
      return 'bound-now';
    }
    return bound === owner ? 'owner' : 'foreign';
  }

  /** The session ended (the registry server closes its streams). */
  forget(scope: string, sessionId: string): void {
    this.owners.delete(this.key(scope, sessionId));
  }
}
