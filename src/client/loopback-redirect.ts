// The redirect target of a native app's authorization request: a one-shot HTTP server on the
// loopback interface (RFC 8252 §7.3), on a free port unless one is asked for.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackRedirect {
  redirectUri: string;
  /** Resolves with the full URL the browser was sent to (code, state or error). */
  received: Promise<URL>;
  close(): void;
}

const DONE_PAGE = '<!doctype html><meta charset="utf-8"><title>mcpgw</title><p>mcpgw: sign-in finished — you can close this window and return to the terminal.</p>';

export async function openLoopbackRedirect(port = 0, timeoutMs = 5 * 60_000): Promise<LoopbackRedirect> {
  let resolveUrl!: (url: URL) => void;
  let rejectUrl!: (err: Error) => void;
  const received = new Promise<URL>((resolve, reject) => ((resolveUrl = resolve), (rejectUrl = reject)));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1`);
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' }).end(DONE_PAGE);
    resolveUrl(new URL(`${redirectUri}${url.search}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  const timer = setTimeout(() => rejectUrl(new Error(`no sign-in arrived within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  const close = () => {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  };
  received.then(close, close);
  return { redirectUri, received, close };
}
