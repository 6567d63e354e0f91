// Gateway overhead for an MCP tools/call: (a) direct to a real MCP server, (b) through a plain
// Caddy reverse_proxy, (c) through mcpgw's route (auth: none), (d) mcpgw's route with authd
// (API key), (e) (d) with Caddy's access log, authd metrics and OTLP tracing on. Targets are
// measured in rotating order over several rounds; medians are reported.
import { Agent } from 'node:http';
import { renderCaddyConfig, renderInputOf } from '../src/control/caddy/render.js';
import { SERVER_NAME } from '../src/control/caddy/caddy-json.js';
import { startSink } from './_observability.js';
import { loadProject } from '../src/core/config/project.js';
import { freePort } from '../testkit/ports.js';
import { gatewayCheckout, startTestGateway } from '../testkit/gateway.js';
import { startEchoServer } from './_gateway-floor.js';
import { httpStatus, loadLoop, medianResult, round, roundsOf, type LoadResult, type RoundsOptions } from './_load.js';

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

const SCOPES = 'groups:\n  bench: [all]\nscopes:\n  all:\n    servers:\n      secured:\n        tools: ["*"]\n';

/** A second checkout: the secured service behind its own gateway port, with access log, metrics and tracing; its routes go into the first gateway's Caddy. */
async function observedCheckout(upstreamUrl: string, otlpUrl: string) {
  const observed = await gatewayCheckout({ services: { secured: `upstream: ${upstreamUrl}\n` }, scopes: SCOPES, apiKeys: { bench: ['bench'] }, settingsYaml: `metrics:\n  listen: 127.0.0.1:0\ntracing:\n  otlp_endpoint: ${otlpUrl}\n` });
  const { config } = renderCaddyConfig(renderInputOf(await loadProject(observed.dir)));
  const server = config.apps.http.servers[SERVER_NAME]!;
  // Route ids are unique per Caddy config: the second server's routes go without them.
  for (const route of server.routes) delete route['@id'];
  return { checkout: observed, key: observed.keys.bench!, url: `${observed.url}/secured/mcp`, server, logging: config.logging };
}

export async function measureGatewayOverhead(options: RoundsOptions = {}): Promise<GatewayOverhead> {
  const { concurrency, durationMs, rounds } = roundsOf(options);
  const upstream = await startEchoServer();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency * 2 });
  const gateway = await startTestGateway({ services: { open: `upstream: ${upstream.url}\nauth: none\n`, secured: `upstream: ${upstream.url}\n` }, scopes: SCOPES, apiKeys: { bench: ['bench'] } });
  try {
    const plainPort = await freePort();
    const key = gateway.keys.bench!;
    const sink = await startSink();
    gateway.onClose(() => sink.close());
    const observed = await observedCheckout(upstream.url, sink.url);
    gateway.onClose(() => observed.checkout.close());
    await observed.checkout.startAuthd();
    const project = await loadProject(gateway.dir);
    const { config } = renderCaddyConfig({ settings: project.settings, services: project.services });
    // (b): the plainest Caddy proxy to the same upstream, on its own port in the same Caddy.
    config.apps.http.servers.plain = { listen: [`127.0.0.1:${plainPort}`], automatic_https: { disable: true }, routes: [{ handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${upstream.port}` }] }] }] };
    // (e): the observed checkout's server and its access logger, in the same Caddy.
    config.apps.http.servers.observed = observed.server;
    config.logging = observed.logging;
    await gateway.caddy.client.putConfig(config);

    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'bench' } } });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
    const targets: Record<'direct' | 'plain_caddy' | 'mcpgw_route' | 'mcpgw_route_authd' | 'mcpgw_route_authd_observed', { url: string; headers: Record<string, string> }> = {
      direct: { url: upstream.url, headers },
      plain_caddy: { url: `http://127.0.0.1:${plainPort}/mcp`, headers },
      mcpgw_route: { url: `${gateway.url}/open/mcp`, headers },
      mcpgw_route_authd: { url: `${gateway.url}/secured/mcp`, headers: { ...headers, authorization: `Bearer ${key}` } },
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
    agent.destroy();
    await gateway.close();
    upstream.close();
  }
}
