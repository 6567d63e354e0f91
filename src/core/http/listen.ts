// Binding mcpgw's daemons (authd, stdio host, registry server, web UI) to a listen address:
// host:port, [v6]:port, :port (loopback) or unix//path — one parser, one way to listen.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ListenTarget = { socket: string } | { host: string; port: number };

/** An empty host (":8081") means loopback: daemons behind Caddy never listen on every interface. */
export function parseListenAddress(address: string): ListenTarget {
  if (address.startsWith('unix//')) return { socket: address.slice('unix/'.length) };
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon).replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(address.slice(colon + 1)) };
}

/**
 * `mcpgw up` asks with this header who answers its readiness check: the daemon names its pid
 * (READY_PID_HEADER), so a port held by another process is not taken for the daemon it started.
 */
export const READY_PROBE_HEADER = 'x-mcpgw-ready-probe';
export const READY_PID_HEADER = 'x-mcpgw-pid';

/** Listen on `address`; the URL and port actually bound (port 0 picks a free one). */
export async function listenOn(server: Server, address: string): Promise<{ url: string; port: number }> {
  const target = parseListenAddress(address);
  server.prependListener('request', (req, res) => {
    if (req.headers[READY_PROBE_HEADER] !== undefined) res.setHeader(READY_PID_HEADER, String(process.pid));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('socket' in target) server.listen(target.socket, resolve);
    else server.listen(target.port, target.host, resolve);
  });
  const bound = server.address();
  if (typeof bound === 'string' || bound === null) return { url: `unix:${bound ?? address}`, port: 0 };
  const { address: host, port } = bound as AddressInfo;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port };
}
