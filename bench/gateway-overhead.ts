// MCP tools/call throughput and latency: (a) direct to server-everything, (b) through a plain
// Caddy reverse_proxy, (c) through mcpgw's route (auth: none) and (d) with authd (API key).
// Loopback only; a fixed number of requests from N concurrent keep-alive clients.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { settingsSchema } from '../src/config/settings.js';
import { serviceSchema, type ServiceDefinition } from '../src/config/service.js';
import { renderCaddyConfig } from '../src/caddy/render.js';
import { startAuthd } from '../src/auth/authd-server.js';
import { createApiKey } from '../src/auth/api-keys.js';
import { startEverything } from '../test/helpers/everything.js';
import { freePort } from '../test/helpers/ports.js';
import { startCaddy } from '../test/caddy/caddy-fixture.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });

function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; session?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, session: res.headers['mcp-session-id'] as string | undefined }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function session(url: string, auth: Record<string, string>): Promise<Record<string, string>> {
  const init = await post(url, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }, auth);
  if (init.status !== 200 || !init.session) throw new Error(`initialize at ${url}: HTTP ${init.status}`);
  const headers = { ...auth, 'mcp-session-id': init.session };
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  return headers;
}

async function measure(url: string, auth: Record<string, string> = {}, total = REQUESTS) {
  const sessions = await Promise.all(Array.from({ length: CLIENTS }, () => session(url, auth)));
  const latencies: number[] = [];
  let next = 0;
  const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'bench' } } };
  const started = performance.now();
  await Promise.all(
    sessions.map(async (headers) => {
      while (next++ < total) {
        const t0 = performance.now();
        const r = await post(url, call, { ...headers, 'mcp-method': 'tools/call', 'mcp-name': 'echo' });
        if (r.status !== 200) throw new Error(`tools/call at ${url}: HTTP ${r.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(3));
  return { requests_per_s: Math.round(latencies.length / seconds), p50_ms: pct(50), p99_ms: pct(99) };
}

const dir = await mkdtemp(join(tmpdir(), 'mcpgw-bench-'));
const upstream = await startEverything('streamableHttp');
const caddy = await startCaddy();
const [gatewayPort, plainPort, authdPort] = await Promise.all([freePort(), freePort(), freePort()]);
try {
  const settings = settingsSchema.parse({ gateway: { listen: `127.0.0.1:${gatewayPort}` }, caddy: { admin: caddy.admin }, authd: { listen: `127.0.0.1:${authdPort}` } });
  const service = (name: string, auth: string): ServiceDefinition => ({ ...serviceSchema.parse({ name, upstream: upstream.url, auth }), file: `${name}.yaml` });
  await writeFile(join(dir, 'mcpgw.yaml'), `authd: { listen: 127.0.0.1:${authdPort} }\n`);
  await writeFile(join(dir, 'scopes.yml'), 'groups:\n  bench: [all]\nscopes:\n  all:\n    servers:\n      secured:\n        tools: ["*"]\n');
  await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'registry.d')));
  await writeFile(join(dir, 'registry.d', 'secured.yaml'), `name: secured\nupstream: ${upstream.url}\n`);
  const { key } = await createApiKey(join(dir, '.mcpgw', 'keys.json'), 'bench', ['bench']);
  const authd = await startAuthd({ root: dir, log: () => {} });
  const { config } = renderCaddyConfig({ settings, services: [service('open', 'none'), service('secured', 'required')], root: dir });
  // (b): the plainest Caddy proxy to the same upstream, on its own port in the same Caddy.
  config.apps.http.servers.plain = { listen: [`127.0.0.1:${plainPort}`], automatic_https: { disable: true }, routes: [{ handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${upstream.port}` }] }] }] };
  await caddy.client.putConfig(config);

  // Warm the upstream (JIT, sessions) so (a) is not measured cold.
  await measure(upstream.url, {}, REQUESTS / 2);
  const direct = await measure(upstream.url);
  const plain = await measure(`http://127.0.0.1:${plainPort}/mcp`);
  const mcpgw = await measure(`http://127.0.0.1:${gatewayPort}/open/mcp`);
  const withAuthd = await measure(`http://127.0.0.1:${gatewayPort}/secured/mcp`, { authorization: `Bearer ${key}` });
  await authd.close();
  const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'gateway-overhead',
      clients: CLIENTS,
      requests: REQUESTS,
      direct,
      plain_caddy: plain,
      mcpgw_route: mcpgw,
      mcpgw_route_with_authd: withAuthd,
      ratios_c_over_b: { requests_per_s: ratio(mcpgw.requests_per_s, plain.requests_per_s), p50: ratio(mcpgw.p50_ms, plain.p50_ms), p99: ratio(mcpgw.p99_ms, plain.p99_ms) },
      ratios_authd_over_b: { requests_per_s: ratio(withAuthd.requests_per_s, plain.requests_per_s), p50: ratio(withAuthd.p50_ms, plain.p50_ms), p99: ratio(withAuthd.p99_ms, plain.p99_ms) },
    })}\n`,
  );
} finally {
  agent.destroy();
  await caddy.stop();
  await upstream.stop();
  await rm(dir, { recursive: true, force: true });
}
