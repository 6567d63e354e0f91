// An upstream for gateway tests that answers every request with the headers and body it received
// (as a JSON-RPC result), so a test sees exactly what Caddy forwarded; on a port the OS picks.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeaderEcho {
  /** http://127.0.0.1:<port>/mcp */
  url: string;
  /** The last request's headers and path. */
  last(): { headers: IncomingHttpHeaders; url: string } | undefined;
  /** Requests received so far. */
  count(): number;
  close(): Promise<void>;
}

export async function startHeaderEcho(): Promise<HeaderEcho> {
  let last: { headers: IncomingHttpHeaders; url: string } | undefined;
  let count = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      count++;
      last = { headers: req.headers, url: req.url ?? '' };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { headers: req.headers, body } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, last: () => last, count: () => count, close: () => new Promise((r) => server.close(() => r())) };
}
