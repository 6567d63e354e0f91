// A real MCP server with sessions (the SDK's McpServer over stateful Streamable HTTP) on a
// loopback port the OS picks: one server instance per session, built by the test. For tests
// whose upstream must keep a session (GET streams, server→client requests, tasks).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface RunningSessionServer {
  /** http://127.0.0.1:<port>/mcp */
  url: string;
  close(): Promise<void>;
}

/** Runs around the handling of a request to a known session (`handle` hands it to the session's transport). */
export type AroundSession = (req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>) => Promise<void>;

/**
 * `build` makes the server of each new session (an initialize POST); other requests go to their
 * session, through `around` when given (a test's upstream that is slow to accept GET streams).
 */
export async function startSessionServer(build: () => McpServer, around?: AroundSession): Promise<RunningSessionServer> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http: HttpServer = createServer(async (req, res) => {
    const id = req.headers['mcp-session-id'];
    const existing = typeof id === 'string' ? transports.get(id) : undefined;
    if (existing) return around ? around(req, res, () => existing.handleRequest(req, res)) : existing.handleRequest(req, res);
    if (req.method !== 'POST') return void res.writeHead(400).end();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => void transports.set(sid, transport) });
    await build().connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: () => new Promise<void>((r) => (http.closeAllConnections(), http.close(() => r()))),
  };
}
