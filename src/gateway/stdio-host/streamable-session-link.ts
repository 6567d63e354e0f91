// How a Streamable HTTP session (2025-03-26 … 2025-11-25) receives what its child sends. A
// message that belongs to no request (a server→client request, a list change) goes on the
// session's GET stream — but a client may POST before its GET stream reaches the host, and the
// SDK's transport drops such a message when that stream does not exist yet. So it goes on the
// response stream of a request of this session still in flight, or is held until the GET
// stream opens or the client's next request brings a stream (spec 2025-11-25, Streamable HTTP,
// "Listening for Messages from the Server": either stream may carry it).
import type { ServerResponse } from 'node:http';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isJSONRPCErrorResponse, isJSONRPCResultResponse, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { ClientLink } from './client-link.js';

/** Held messages beyond this are dropped oldest first: a client that never listens must not grow the host. */
export const MAX_HELD_MESSAGES = 1000;

const isResponse = (m: JSONRPCMessage) => isJSONRPCResultResponse(m) || isJSONRPCErrorResponse(m);

export class StreamableSessionLink implements ClientLink {
  readonly stateful = true;
  private getStream?: ServerResponse;
  private readonly held: JSONRPCMessage[] = [];

  constructor(
    private readonly transport: StreamableHTTPServerTransport,
    /** The client's ids of the session's requests in flight, oldest first. */
    private readonly inFlight: () => RequestId[],
  ) {}

  send(message: JSONRPCMessage, relatedRequestId?: RequestId): void {
    if (relatedRequestId === undefined && !isResponse(message)) return this.deliver(message);
    // A response whose stream is gone (client disconnected) has nowhere to go; anything else
    // whose request stream closed meanwhile still reaches the client another way.
    this.transport.send(message, { relatedRequestId }).catch(() => {
      if (!isResponse(message)) this.deliver(message, relatedRequestId);
    });
  }

  /** A GET request of this session is being served on `res`: its stream opens with its headers. */
  watchGetStream(res: ServerResponse): void {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      const out = writeHead(...args);
      // The SDK registers the stream before it answers 200 with headers; anything else (406, 409) is no stream.
      if (args[0] === 200) {
        this.getStream = res;
        queueMicrotask(() => this.flush(undefined));
      }
      return out;
    }) as ServerResponse['writeHead'];
    res.once('close', () => {
      if (this.getStream === res) this.getStream = undefined;
    });
  }

  /** A client request arrived (its response stream is registered): held messages can ride on it. */
  requestArrived(id: RequestId): void {
    if (this.held.length > 0 && !this.getStream) this.flush(id);
  }

  private deliver(message: JSONRPCMessage, failedOn?: RequestId): void {
    if (this.getStream) return void this.transport.send(message).catch(() => this.hold(message));
    const open = this.inFlight().filter((id) => id !== failedOn).at(-1);
    if (open !== undefined) return void this.transport.send(message, { relatedRequestId: open }).catch(() => this.hold(message));
    this.hold(message);
  }

  private hold(message: JSONRPCMessage): void {
    this.held.push(message);
    if (this.held.length > MAX_HELD_MESSAGES) this.held.shift();
  }

  private flush(onRequest: RequestId | undefined): void {
    for (const message of this.held.splice(0)) {
      if (onRequest === undefined) this.deliver(message);
      else this.transport.send(message, { relatedRequestId: onRequest }).catch(() => this.hold(message));
    }
  }
}
