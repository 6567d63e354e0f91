// The web UI's "Connect" for delegated_oauth services: the signed-in person is sent to the
// service's authorization server (client/upstream-connect, redirect <public_url>/ui/connect/callback)
// and comes back to a grant stored for them; "Disconnect" removes it. A connection started in one
// browser session can only be finished by that session.
import type { Project } from '../../core/config/project.js';
import { publicUrl } from '../../core/config/settings.js';
import { McpgwError } from '../../core/errors.js';
import { UI_PATH } from '../../core/wire/contract.js';
import { disconnectUpstream, startConnection, type ConnectResult, type DisconnectResult, type PendingConnection } from '../../client/upstream-connect.js';
import type { WebSession } from './session-store.js';

export const CONNECT_PATH = `${UI_PATH}/connect`;
export const CONNECT_CALLBACK_PATH = `${CONNECT_PATH}/callback`;
const PENDING_MS = 10 * 60_000;
const MAX_PENDING = 1000;

function ownerOf(session: WebSession): { issuer: string; subject: string } {
  if (!session.issuer) throw new McpgwError('ERR_NOT_DELEGABLE', 'the operator\'s sign-in link has no account to connect', 'invalid-input', { hint: 'sign in with the identity provider to connect your own account' });
  return { issuer: session.issuer, subject: session.subject };
}

export class WebConnections {
  private readonly pending = new Map<string, { connection: PendingConnection; sessionId: string; until: number }>();

  constructor(private readonly project: () => Project) {}

  /** Where to send the person's browser to connect `service`. */
  async start(session: WebSession, service: string): Promise<string> {
    ownerOf(session);
    const now = Date.now();
    for (const [state, p] of this.pending) if (p.until <= now || this.pending.size >= MAX_PENDING) this.pending.delete(state);
    const connection = await startConnection(this.project(), service, `${publicUrl(this.project().settings)}${CONNECT_CALLBACK_PATH}`);
    this.pending.set(connection.state, { connection, sessionId: session.id, until: now + PENDING_MS });
    return connection.url;
  }

  /** The authorization server sent the browser back: store the grant for this session's person. */
  async finish(session: WebSession, callback: URL): Promise<ConnectResult> {
    const state = callback.searchParams.get('state') ?? '';
    const started = this.pending.get(state);
    if (!started || started.sessionId !== session.id || started.until <= Date.now()) {
      throw new McpgwError('ERR_CONNECT_NOT_STARTED', 'this connection was not started in this browser session, or took too long', 'denied', { hint: 'press Connect again' });
    }
    this.pending.delete(state);
    return started.connection.finish(callback, ownerOf(session));
  }

  disconnect(session: WebSession, service: string): Promise<DisconnectResult> {
    return disconnectUpstream(this.project(), service, ownerOf(session));
  }
}
