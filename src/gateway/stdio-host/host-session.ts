// One client session at the host before and after it is bound to a child: the first message
// (initialize, or a session-less request's _meta) says who the client is, and that decides
// which child serves it (child-placement.ts); from then on messages go to that child's mux.
import type { Implementation, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { MuxSession } from './child-multiplexer.js';
import type { ClientLink } from './client-link.js';
import type { ClientIdentity } from './supervised-child.js';

const META_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
const META_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';

/** Who the client says it is in its first message: initialize params, or a 2026-07-28 request's _meta. */
export function identityOf(message: JSONRPCMessage): ClientIdentity {
  const params = ('params' in message && message.params ? message.params : {}) as Record<string, unknown>;
  if ('method' in message && message.method === 'initialize') {
    return {
      capabilities: (params.capabilities ?? {}) as ClientIdentity['capabilities'],
      clientInfo: (params.clientInfo ?? { name: 'unknown', version: '0' }) as ClientIdentity['clientInfo'],
    };
  }
  const meta = (params._meta ?? {}) as Record<string, unknown>;
  return {
    capabilities: (meta[META_CAPABILITIES] ?? {}) as ClientIdentity['capabilities'],
    clientInfo: (meta[META_CLIENT_INFO] ?? { name: 'mcpgw', version: '0' }) as ClientIdentity['clientInfo'],
  };
}

export class HostSession {
  private bound?: MuxSession;
  private closed = false;

  constructor(
    readonly link: ClientLink,
    private readonly place: (identity: ClientIdentity) => MuxSession,
  ) {}

  receive(message: JSONRPCMessage): void {
    if (this.closed) return;
    this.bound ??= this.place(identityOf(message));
    this.bound.receive(message);
  }

  /** The client's ids of its requests in flight at the child, newest last. */
  inFlight(): ReturnType<MuxSession['inFlight']> {
    return this.bound?.inFlight() ?? [];
  }

  /** The child's serverInfo from its initialize (once this session is placed; else undefined). */
  serverInfo(): Promise<Implementation> | undefined {
    return this.bound?.serverInfo();
  }

  close(): void {
    this.closed = true;
    this.bound?.close();
  }
}
