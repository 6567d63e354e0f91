// A small real MCP server (the SDK's Server over Streamable HTTP, stateless) on a loopback port
// chosen by the OS. Its tools can be changed between probes, ListTools can be paged or slowed
// down, and it can demand a bearer token.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';

export interface SdkServerOptions {
  name?: string;
  tools?: Tool[];
  /** Tools per ListTools page; the rest follow by cursor. */
  pageSize?: number;
  /** ListTools answers only after this delay. */
  listToolsDelayMs?: number;
  /** Every request without `Authorization: Bearer <token>` gets 401. */
  requireBearer?: string;
  /** Listen on this port (to bring a stopped server back on the same URL); default: any free one. */
  port?: number;
}

export interface RunningSdkServer {
  url: string;
  port: number;
  /** Edit to change what the next ListTools returns. */
  tools: Tool[];
  close(): Promise<void>;
}

/** Answer one HTTP request with a fresh server instance (stateless Streamable HTTP, JSON answers). */
export async function serveStateless(server: { connect(t: StreamableHTTPServerTransport): Promise<void>; close(): Promise<void> }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

export function sampleTool(name: string, description = `The ${name} tool`): Tool {
  return { name, description, inputSchema: { type: 'object', properties: { city: { type: 'string', description: 'a city' } } } };
}

export async function startSdkServer(options: SdkServerOptions = {}): Promise<RunningSdkServer> {
  const state: RunningSdkServer = { url: '', port: 0, tools: options.tools ?? [sampleTool('echo')], close: async () => {} };
  const timers = new Set<NodeJS.Timeout>();
  const http: HttpServer = createServer(async (req, res) => {
    if (options.requireBearer && req.headers.authorization !== `Bearer ${options.requireBearer}`) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="test"', 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const server = new Server({ name: options.name ?? 'test-server', version: '1.2.3' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async (request) => {
      if (options.listToolsDelayMs) {
        await new Promise((r) => timers.add(setTimeout(r, options.listToolsDelayMs).unref()));
      }
      const size = options.pageSize ?? state.tools.length;
      const start = Number(request.params?.cursor ?? 0);
      const end = start + Math.max(size, 1);
      return { tools: state.tools.slice(start, end), ...(end < state.tools.length ? { nextCursor: String(end) } : {}) };
    });
    await serveStateless(server, req, res);
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  state.port = (http.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}/mcp`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      http.closeAllConnections();
      http.close(() => resolve());
    });
  return state;
}
