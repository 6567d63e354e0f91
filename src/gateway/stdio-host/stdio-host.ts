// The stdio host: one HTTP server on settings.stdio_host.listen that serves every enabled
// `command:` service at /<name>/mcp (Streamable HTTP) and /<name>/sse + /<name>/messages
// (legacy SSE). Caddy forwards <service path>/<rest> here as /<name>/<rest> after authd.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { listenOn } from '../../core/http/listen.js';
import { isMultiNode, nodeIdOf, sessionIdPrefix } from '../../core/config/node-identity.js';
import type { Project } from '../../core/config/project.js';
import { CurrentProject } from '../../core/config/current-project.js';
import { formatIssue } from '../../core/config/issues.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { stateLayout, type StateLayout } from '../../core/state/layout.js';
import { isHostedService } from './child-spec.js';
import { HostedService, type ServiceStatus } from './hosted-service.js';
import { sendJson, sendJsonRpcError } from '../../core/http/http-messages.js';
import { StdioHostError } from './errors.js';
import { LegacySseEndpoint } from './legacy-sse-endpoint.js';
import { StreamableEndpoint } from './streamable-endpoint.js';

export interface StdioHostOptions {
  /** host:port or unix//path; default settings.stdio_host.listen. Port 0 picks a free port. */
  listen?: string;
  /** Follow registry.d edits (default true). */
  watch?: boolean;
  /** One line per event worth telling an operator (children starting, reloads, bad config). */
  log?: (line: string) => void;
  /** End a Streamable HTTP session after this long without requests (default 10 minutes). */
  sessionIdleMs?: number;
}

export interface StdioHost {
  /** http://host:port (or the unix socket path). */
  url: string;
  port: number;
  /** Re-read the checkout and start/stop services to match; keeps the old set if it does not validate. */
  reload(): Promise<void>;
  status(): ServiceStatus[];
  close(): Promise<void>;
}

interface ServiceEndpoints {
  hosted: HostedService;
  streamable: StreamableEndpoint;
  sse: LegacySseEndpoint;
}

export async function startStdioHost(project: Project, options: StdioHostOptions = {}): Promise<StdioHost> {
  const log = options.log ?? (() => {});
  // Several nodes: session ids name this node, so any node forwards a session to its process here.
  const sessionPrefix = isMultiNode(project.settings) ? sessionIdPrefix(nodeIdOf(project.settings, process.env, hostname())) : '';
  const context: ApplyContext = { layout: stateLayout(project.stateDir), log, sessionIdleMs: options.sessionIdleMs, sessionPrefix };
  const services = new Map<string, ServiceEndpoints>();
  await apply(services, project.services, project.paths.root, context);

  const server = createServer((req, res) => {
    route(services, req, res).catch((err: Error) => {
      log(`error serving ${req.method} ${req.url}: ${err.message}`);
      sendJsonRpcError(res, null, err);
    });
  });
  const address = await listenOn(server, options.listen ?? project.settings.stdio_host.listen);

  // The process's one project watcher: each good reload starts and stops services to match.
  const files = await CurrentProject.open(project.paths.root, { follow: options.watch !== false });
  let reloading: Promise<void> = Promise.resolve();
  files.onChange((next) => void (reloading = reloading.then(() => apply(services, next.services, next.paths.root, context))));
  files.onInvalid((issues) => log(`registry.d does not validate; keeping the running services:\n${issues.map(formatIssue).join('\n')}`));
  const reload = async () => {
    await files.reload();
    await reloading;
  };

  return {
    url: address.url,
    port: address.port,
    reload,
    status: () => [...services.values()].map((s) => s.hosted.status()),
    async close() {
      files.close();
      await reloading;
      await Promise.all([...services.keys()].map((name) => remove(services, name)));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface ApplyContext {
  layout: StateLayout;
  log: (line: string) => void;
  sessionIdleMs?: number;
  sessionPrefix: string;
}

/** Start, stop and replace services so the running set matches `definitions`. */
async function apply(services: Map<string, ServiceEndpoints>, definitions: ServiceDefinition[], root: string, { layout, log, sessionIdleMs, sessionPrefix }: ApplyContext): Promise<void> {
  const wanted = new Map(definitions.filter(isHostedService).map((d) => [d.name, d]));
  for (const [name, running] of [...services]) {
    const next = wanted.get(name);
    if (next && sameDefinition(next, running.hosted.definition)) continue;
    await remove(services, name);
    log(`${name}: ${next ? 'definition changed; restarting' : 'disabled or removed; stopped'}`);
  }
  for (const [name, definition] of wanted) {
    if (services.has(name)) continue;
    try {
      const hosted = new HostedService(definition, root, layout);
      services.set(name, { hosted, streamable: new StreamableEndpoint(hosted, sessionIdleMs, sessionPrefix), sse: new LegacySseEndpoint(hosted, sessionPrefix) });
      log(`${name}: serving ${definition.path} → ${hosted.spec.argv.join(' ')} (${hosted.spec.concurrency})`);
    } catch (err) {
      log(`${name}: cannot serve: ${(err as Error).message}`);
    }
  }
}

async function remove(services: Map<string, ServiceEndpoints>, name: string): Promise<void> {
  const running = services.get(name);
  if (!running) return;
  services.delete(name);
  await Promise.all([running.streamable.close(), running.sse.close()]);
  await running.hosted.stop();
}

function sameDefinition(a: ServiceDefinition, b: ServiceDefinition): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** /<name>/<rest>, or <service path>/<rest> for clients that reach the host directly. */
function findService(services: Map<string, ServiceEndpoints>, pathname: string): { endpoints: ServiceEndpoints; rest: string } | undefined {
  const [, first = '', ...rest] = pathname.split('/');
  const byName = services.get(first);
  if (byName) return { endpoints: byName, rest: rest.join('/') };
  for (const endpoints of services.values()) {
    const prefix = endpoints.hosted.definition.path;
    if (pathname.startsWith(`${prefix}/`)) return { endpoints, rest: pathname.slice(prefix.length + 1) };
  }
  return undefined;
}

async function route(services: Map<string, ServiceEndpoints>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stdio-host');
  // Readiness for `mcpgw up` and load balancers; services always sit one level deeper.
  if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true, services: [...services.values()].map((s) => s.hosted.status()) });
  const found = findService(services, url.pathname);
  const notFound = () => sendJsonRpcError(res, null, new StdioHostError('ERR_SERVICE_NOT_FOUND', `no enabled stdio service serves ${url.pathname}`, 'not-found', { hint: 'endpoints are /<service>/mcp, /<service>/sse and /<service>/messages' }));
  if (!found) return notFound();
  if (found.rest === 'mcp') return found.endpoints.streamable.handle(req, res);
  if (found.rest === 'sse') return found.endpoints.sse.connect(req, res);
  if (found.rest === 'messages') return found.endpoints.sse.post(req, res, url);
  notFound();
}

