// Gateway overhead for an MCP tools/call: (a) direct to a real MCP server, (b) through a plain
// Caddy reverse_proxy, (c) through mcpgw's route (auth: none), (d) mcpgw's route with authd
// (API key), (e) (d) with Caddy's access log, authd metrics and OTLP tracing on. Targets are
// measured in rotating order over several rounds; medians are reported.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCaddyConfig, renderInputOf } from '../src/control/caddy/render.js';
import { SERVER_NAME } from '../src/control/caddy/caddy-json.js';
import { startSink } from './_observability.js';
import { startAuthd } from '../src/gateway/authd/authd-server.js';
import { createApiKey } from '../src/core/identity/api-keys.js';
import { loadProject } from '../src/core/config/project.js';
import { stateLayout } from '../src/core/state/layout.js';
import { freePort } from '../testkit/ports.js';
import { startCaddy } from '../testkit/caddy.js';
import { startEchoServer } from './_gateway-floor.js';
import { httpStatus, loadLoop, medianResult, round, type LoadResult } from './_load.js';

export interface GatewayOverhead {
  concurrency: number;
  duration_ms: number;
  rounds: number;
  direct: LoadResult;
  plain_caddy: LoadResult;
  mcpgw_route: LoadResult;
  mcpgw_route_authd: LoadResult;
  /** (e): (d) with Caddy's access log, authd metrics and OTLP tracing on. */
  mcpgw_route_authd_observed: LoadResult;
  ratios_c_over_b: { requests_per_s: number; p50: number; p99: number };
  ratios_authd_over_b: { requests_per_s: number; p50: number; p99: number };
  ratios_observed_over_authd: { requests_per_s: number; p50: number; p99: number };
}

/** A second checkout beside `dir`: the secured service behind its own gateway port, with access log, metrics and tracing. */
async function observedCheckout(dir: string, caddyAdmin: string, upstreamUrl: string, otlpUrl: string) {
  const observed = join(dir, 'observed');
  const [gatewayPort, authdPort] = await Promise.all([freePort(), freePort()]);
  await mkdir(join(observed, 'registry.d'), { recursive: true });
  await writeFile(join(observed, 'mcpgw.yaml'), `gateway: { listen: 127.0.0.1:${gatewayPort} }\ncaddy: { admin: ${caddyAdmin} }\nauthd: { listen: 127.0.0.1:${authdPort} }\nmetrics: { listen: 127.0.0.1:0 }\ntracing: { otlp_endpoint: ${otlpUrl} }\n`);
  await writeFile(join(observed, 'scopes.yml'), 'groups:\n  bench: [all]\nscopes:\n  all:\n    servers:\n      secured:\n        tools: ["*"]\n');
  await writeFile(join(observed, 'registry.d', 'secured.yaml'), `name: secured\nupstream: ${upstreamUrl}\n`);
  const project = await loadProject(observed);
  const { key } = await createApiKey(stateLayout(project.stateDir).apiKeysFile, 'bench', ['bench']);
  const { config } = renderCaddyConfig(renderInputOf(project));
  const server = config.apps.http.servers[SERVER_NAME]!;
  // Route ids are unique per Caddy config: the second server's routes go without them.
  for (const route of server.routes) delete route['@id'];
  return { dir: observed, key, url: `http://127.0.0.1:${gatewayPort}/secured/mcp`, server, logging: config.logging };
}

export async function measureGatewayOverhead(options: { concurrency?: number; durationMs?: number; rounds?: number } = {}): Promise<GatewayOverhead> {
  const concurrency = options.concurrency ?? 16;
  const durationMs = options.durationMs ?? 3000;
  const rounds = options.rounds ?? 3;
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-bench-'));
  const upstream = await startEchoServer();
  const caddy = await startCaddy();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency * 2 });
  try {
    const [gatewayPort, plainPort, authdPort] = await Promise.all([freePort(), freePort(), freePort()]);
    await mkdir(join(dir, 'registry.d'));
    await writeFile(join(dir, 'mcpgw.yaml'), `gateway: { listen: 127.0.0.1:${gatewayPort} }\ncaddy: { admin: ${caddy.admin} }\nauthd: { listen: 127.0.0.1:${authdPort} }\n`);
    await writeFile(join(dir, 'scopes.yml'), 'groups:\n  bench: [all]\nscopes:\n  all:\n    servers:\n      secured:\n        tools: ["*"]\n');
    await writeFile(join(dir, 'registry.d', 'open.yaml'), `name: open\nupstream: ${upstream.url}\nauth: none\n`);
    await writeFile(join(dir, 'registry.d', 'secured.yaml'), `name: secured\nupstream: ${upstream.url}\n`);
    const project = await loadProject(dir);
    const { key } = await createApiKey(stateLayout(project.stateDir).apiKeysFile, 'bench', ['bench']);
    const authd = await startAuthd({ root: dir, log: () => {} });
    const sink = await startSink();
    const observed = await observedCheckout(dir, caddy.admin, upstream.url, sink.url);
    const observedAuthd = await startAuthd({ root: observed.dir, log: () => {} });
    try {
      const { config } = renderCaddyConfig({ settings: project.settings, services: project.services });
      // (b): the plainest Caddy proxy to the same upstream, on its own port in the same Caddy.
      config.apps.http.servers.plain = { listen: [`127.0.0.1:${plainPort}`], automatic_https: { disable: true }, routes: [{ handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${upstream.port}` }] }] }] };
      // (e): the observed checkout's server and its access logger, in the same Caddy.
      config.apps.http.servers.observed = observed.server;
      config.logging = observed.logging;
      await caddy.client.putConfig(config);

      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'bench' } } });
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
      const targets: Record<'direct' | 'plain_caddy' | 'mcpgw_route' | 'mcpgw_route_authd' | 'mcpgw_route_authd_observed', { url: string; headers: Record<string, string> }> = {
        direct: { url: upstream.url, headers },
        plain_caddy: { url: `http://127.0.0.1:${plainPort}/mcp`, headers },
        mcpgw_route: { url: `http://127.0.0.1:${gatewayPort}/open/mcp`, headers },
        mcpgw_route_authd: { url: `http://127.0.0.1:${gatewayPort}/secured/mcp`, headers: { ...headers, authorization: `Bearer ${key}` } },
        mcpgw_route_authd_observed: { url: observed.url, headers: { ...headers, authorization: `Bearer ${observed.key}`, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } },
      };
      const names = Object.keys(targets) as (keyof typeof targets)[];
      const runs = Object.fromEntries(names.map((n) => [n, [] as LoadResult[]])) as Record<keyof typeof targets, LoadResult[]>;
      for (const name of names) await loadLoop(() => httpStatus(agent, { ...targets[name], body }), { concurrency, durationMs: 500 }); // warm-up
      for (let round_ = 0; round_ < rounds; round_++) {
        // Rotate the order so no target always runs first (or last) on a busy machine.
        for (const name of [...names.slice(round_ % names.length), ...names.slice(0, round_ % names.length)]) {
          runs[name].push(await loadLoop(() => httpStatus(agent, { ...targets[name], body }), { concurrency, durationMs }));
        }
      }
      const result = Object.fromEntries(names.map((n) => [n, medianResult(runs[n])])) as Record<keyof typeof targets, LoadResult>;
      for (const [name, r] of Object.entries(result)) if (r.non_2xx) throw new Error(`${name}: ${r.non_2xx} answers were not 2xx`);
      const ratios = (x: LoadResult, b: LoadResult) => ({ requests_per_s: round(x.requests_per_s / b.requests_per_s), p50: round(x.p50_ms / b.p50_ms), p99: round(x.p99_ms / b.p99_ms) });
      return {
        concurrency,
        duration_ms: durationMs,
        rounds,
        ...result,
        ratios_c_over_b: ratios(result.mcpgw_route, result.plain_caddy),
        ratios_authd_over_b: ratios(result.mcpgw_route_authd, result.plain_caddy),
        ratios_observed_over_authd: ratios(result.mcpgw_route_authd_observed, result.mcpgw_route_authd),
      };
    } finally {
      await authd.close();
      await observedAuthd.close();
      await sink.close();
    }
  } finally {
    agent.destroy();
    await caddy.stop();
    upstream.close();
    await rm(dir, { recursive: true, force: true });
  }
}
