// A 2026-07-28 request on /mcp, served by a fresh registry MCP server without the SDK's HTTP
// transport (SDK 1.32 refuses that protocol version): the request goes to the server over a
// transport of one exchange, with the HTTP request's headers as its `requestInfo` (so the caller
// is read exactly as for older versions), and the answer comes back as a 2026-07-28 result
// (core/wire/modern-results). `server/discover` is answered from what the same server says to
// initialize — its capabilities, identity and instructions, never a second copy of them.
import type { IncomingHttpHeaders } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { LATEST_PROTOCOL_VERSION, type Implementation, type InitializeResult, type JSONRPCMessage, type JSONRPCRequest, type MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { discoverResult, modernResult, type CachingHints } from '../../core/wire/modern-results.js';
import type { OpenExchange, StatelessExchange } from '../../core/wire/stateless-request.js';

/** The transport of one exchange: what the server sends goes to `deliver`. */
class ExchangeTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;

  constructor(private readonly deliver: (message: JSONRPCMessage) => void) {}

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    this.deliver(message);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }
}

type Json = Record<string, unknown>;

/** The initialize a server/discover is answered from (params as a client of the SDK's latest version sends them). */
function initializeFor(request: JSONRPCRequest): JSONRPCRequest {
  return { jsonrpc: '2.0', id: request.id, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcpgw server/discover', version: '1' } } };
}

/**
 * Opens exchanges with a new server from `createServer` each. `serverInfo` is the identity it
 * initializes with; `hints` the caching hints of its cacheable results (server/discover included).
 */
export function modernExchange(createServer: () => McpServer, headers: IncomingHttpHeaders, describe: { serverInfo: Implementation; hints: (method: string) => CachingHints | undefined }): OpenExchange {
  const { serverInfo, hints } = describe;
  return (send): StatelessExchange => {
    const server = createServer();
    let answering: { id: JSONRPCRequest['id']; shape: (result: Json) => Json } | undefined;
    const transport = new ExchangeTransport((message) => {
      if (answering && 'result' in message && message.id === answering.id) {
        return send({ ...message, result: answering.shape(message.result as Json) } as JSONRPCMessage);
      }
      send(message);
    });
    const connected = server.connect(transport);
    return {
      receive(request) {
        const discover = request.method === 'server/discover';
        answering = {
          id: request.id,
          shape: discover
            ? (init) => discoverResult(init as unknown as InitializeResult, hints('server/discover'))
            : (result) => modernResult(request.method, result, serverInfo, hints),
        };
        void connected.then(() => transport.onmessage?.(discover ? initializeFor(request) : request, { requestInfo: { headers } }));
      },
      close() {
        void server.close();
      },
    };
  };
}
