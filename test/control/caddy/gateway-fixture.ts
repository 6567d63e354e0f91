// A gateway under test: real Caddy, real authd (every route asks it, auth: none too), a temp
// checkout whose mcpgw.yaml points at both, and helpers to write service files and run the CLI.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runCli, tempProject } from '../../../testkit/cli.js';
import { freePort } from '../../../testkit/ports.js';
import { startAuthd, type RunningAuthd } from '../../../src/gateway/authd/authd-server.js';
import { startCaddy, type RunningCaddy } from '../../../testkit/caddy.js';

export interface TestGateway {
  dir: string;
  caddy: RunningCaddy;
  /** The fixture's own authd; undefined when the test passed `authdListen` and runs its own. */
  authd?: RunningAuthd;
  /** http://127.0.0.1:<port> */
  url: string;
  writeService(name: string, yaml: string): Promise<void>;
  cli(...args: string[]): ReturnType<typeof runCli>;
  close(): Promise<void>;
}

/** `authdListen`: the test starts (and stops) authd itself there; otherwise the fixture runs one. */
export async function startGateway(options: { caddyEnv?: NodeJS.ProcessEnv; allowedOrigins?: string[]; authdListen?: string; /** More mcpgw.yaml sections (metrics, audit, tracing …). */ settingsYaml?: string } = {}): Promise<TestGateway> {
  const caddy = await startCaddy(options.caddyEnv);
  const project = await tempProject();
  const port = await freePort();
  const authdListen = options.authdListen ?? `127.0.0.1:${await freePort()}`;
  await mkdir(join(project.dir, 'registry.d'));
  await writeFile(
    join(project.dir, 'mcpgw.yaml'),
    `gateway:\n  listen: 127.0.0.1:${port}\n  allowed_origins: ${JSON.stringify(options.allowedOrigins ?? [])}\ncaddy:\n  admin: ${caddy.admin}\nauthd:\n  listen: ${authdListen}\n${options.settingsYaml ?? ''}`,
  );
  const authd = options.authdListen ? undefined : await startAuthd({ root: project.dir, log: () => {} });
  return {
    dir: project.dir,
    caddy,
    authd,
    url: `http://127.0.0.1:${port}`,
    writeService: (name, yaml) => writeFile(join(project.dir, 'registry.d', `${name}.yaml`), `name: ${name}\n${yaml}`),
    cli: (...args) => runCli(args, { cwd: project.dir, timeoutMs: 120_000 }),
    close: async () => {
      await authd?.close();
      await caddy.stop();
      await project.cleanup();
    },
  };
}

/** An upstream that answers every request with the headers and path it received (as JSON). */
export async function startHeaderEcho(): Promise<{ url: string; last(): { headers: IncomingHttpHeaders; url: string } | undefined; /** Requests received so far. */ count(): number; close(): Promise<void> }> {
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
