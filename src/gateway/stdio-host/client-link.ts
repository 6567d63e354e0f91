// How the multiplexer reaches one client, whatever HTTP transport carries it.
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';

export interface ClientLink {
  /** Deliver a message; `relatedRequestId` is the client's own id of the request it belongs to. */
  send(message: JSONRPCMessage, relatedRequestId?: RequestId): void;
  /**
   * A legacy (initialize-based) session that may receive server-initiated requests and
   * notifications. False for a 2026-07-28 stateless request: its stream carries only what
   * relates to that one request (spec 2026-07-28, Streamable HTTP, "Receiving Messages").
   */
  stateful: boolean;
}

/** Bounds the requests in flight to one service (limits.max_concurrent). */
export class ConcurrencyGate {
  private inFlight = 0;
  constructor(readonly max?: number) {}

  tryEnter(): boolean {
    if (this.max !== undefined && this.inFlight >= this.max) return false;
    this.inFlight += 1;
    return true;
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }
}
