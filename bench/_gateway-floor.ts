// The gateway against its floor, for an MCP tools/call on a trivial upstream (a real SDK McpServer with one
// `echo` tool), in one run: (a) direct, (b) plain Caddy reverse_proxy, (c) Caddy with
// forward_auth to a trivial Node responder that always says 200 — the design's floor, same
// chain as mcpgw's route — (d) mcpgw's route with authd deciding a tool policy (API key,
// `tools: [echo]`), (e) the same for a 2026-07-28 request on the header-only path (no body copy
// into the auth subrequest). authd and the floor's responder run as their own processes, so the
// CPU per call of every gateway process (Caddy + authd, or Caddy + responder) is read from
// /proc. Targets run in rotating order over several rounds; medians are reported.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, Agent } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { renderCaddyConfig } from '../src/control/caddy/render.js';
import { proxyChain } from '../src/control/caddy/proxy-chain.js';
import { loadProject } from '../src/core/config/project.js';
import { freePort } from '../testkit/ports.js';
import { startTestGateway } from '../testkit/gateway.js';
import { stopChild } from '../testkit/mcp-servers.js';
import { MODERN_PROTOCOL_VERSION } from '../src/core/wire/contract.js';
import { httpStatus, loadLoop, medianResult, round, roundsOf, type LoadResult, type RoundsOptions } from './_load.js';
import { reapOnExit } from '../testkit/reap-on-exit.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CLOCK_TICK_MS = 10; // Linux USER_HZ = 100

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** user+system CPU of a process so far, in ms (from /proc/<pid>/stat). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
}

/**
 * A real MCP server (SDK, stateless Streamable HTTP, JSON answers) with one `echo` tool. For a
 * 2026-07-28 request it first checks Mcp-Method/Mcp-Name against the body, as that revision
 * requires of servers, then serves it as 2025-11-25 (the SDK here predates 2026-07-28).
 */
export async function startEchoServer(): Promise<{ url: string; port: number; close(): void }> {
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { method: string; params?: { name?: string } };
    if (req.headers['mcp-protocol-version'] === MODERN_PROTOCOL_VERSION) {
      if (req.headers['mcp-method'] !== body.method || (body.method === 'tools/call' && req.headers['mcp-name'] !== body.params?.name)) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":null,"error":{"code":-32020,"message":"Header mismatch"}}');
        return;
      }
      req.headers['mcp-protocol-version'] = '2025-11-25';
      // The SDK reads rawHeaders: rewrite the value there too.
      const at = req.rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'mcp-protocol-version');
      req.rawHeaders[at + 1] = '2025-11-25';
    }
    const server = new McpServer({ name: 'bench-echo', version: '1.0.0' });
    server.tool('echo', { message: z.string() }, async ({ message }) => ({ content: [{ type: 'text', text: message }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const { port } = http.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/mcp`, port, close: () => http.close() };
}

function startProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return reapOnExit(spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] }));
}

// Content-Length: 0 as authd sends it: a chunked empty 200 (node's default after writeHead) makes
// Caddy open a new connection to the responder per call (see authd-server.ts `send`).
const TRIVIAL_RESPONDER = "require('node:http').createServer((q, s) => s.writeHead(200, { 'content-length': 0 }).end()).listen(Number(process.env.PORT), '127.0.0.1')";

export interface TargetResult extends LoadResult {
  /** CPU (user + system) of the gateway's processes per call, ms. */
  gateway_cpu_ms_per_call: number | null;
  /** The same, per gateway process (caddy, authd or the trivial responder), ms. */
  cpu_ms_per_call_by_process: Record<string, number | null>;
}

export interface GatewayFloor {
  concurrency: number;
  duration_ms: number;
  rounds: number;
  direct: TargetResult;
  plain_caddy: TargetResult;
  floor_caddy_trivial_forward_auth: TargetResult;
  mcpgw_route_tool_policy: TargetResult;
  mcpgw_header_only_2026_07_28: TargetResult;
  /** requests/s of the route over the floor (target ≥ 0.9). */
  route_over_floor: number;
  header_only_over_floor: number;
  route_over_plain_caddy: number;
}

export async function measureGatewayFloor(options: RoundsOptions = {}): Promise<GatewayFloor> {
  const { concurrency, durationMs, rounds } = roundsOf(options);
  const upstream = await startEchoServer();
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency * 2 });
  const children: ChildProcess[] = [];
  // authd runs as its own process here (its CPU is measured), started below on the checkout's address.
  const gateway = await startTestGateway({
    services: { secured: `upstream: ${upstream.url}\n`, modern: `upstream: ${upstream.url}\nchecks_mcp_headers: true\n` },
    scopes: 'groups:\n  bench: [echo-only]\nscopes:\n  echo-only:\n    servers:\n      "*":\n        tools: [echo]\n',
    apiKeys: { bench: ['bench'] },
    authd: false,
  });
  try {
    const [plainPort, floorPort, responderPort] = [await freePort(), await freePort(), await freePort()];
    const { caddy, dir } = gateway;
    const authdAddress = `${gateway.host}:${gateway.ports.authd}`;
    const project = await loadProject(dir);
    const key = gateway.keys.bench!;
    const cli = existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js')) ? [join(REPO_ROOT, 'dist', 'cli', 'main.js')] : ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'main.ts')];
    const authd = startProcess([...cli, 'authd', '--listen', authdAddress], dir);
    const responder = startProcess(['-e', TRIVIAL_RESPONDER], dir, { PORT: String(responderPort) });
    children.push(authd, responder);
    await waitFor(async () => (await fetch(`http://${authdAddress}/healthz`)).ok, 'authd');
    await waitFor(async () => (await fetch(`http://127.0.0.1:${responderPort}/`)).ok, 'the trivial responder');

    const { config } = renderCaddyConfig({ settings: project.settings, services: project.services });
    const tcp = (port: number) => ({ listen: [`127.0.0.1:${port}`], automatic_https: { disable: true } });
    config.apps.http.servers.plain = { ...tcp(plainPort), routes: [{ handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${upstream.port}` }] }] }] };
    // The floor: mcpgw's own chain (body limit, header scrub, forward_auth with the body copy,
    // streaming proxy) with authd replaced by a responder that decides nothing.
    const floorChain = proxyChain({ service: 'secured', copyIdentity: true, authd: `127.0.0.1:${responderPort}`, passAuthorization: false, headers: {}, upstreams: [{ dial: `127.0.0.1:${upstream.port}`, tls: false }], maxBodyBytes: 4 * 1024 * 1024, stripPrefix: '/secured' });
    config.apps.http.servers.floor = { ...tcp(floorPort), routes: [{ match: [{ path: ['/secured/*'] }], handle: floorChain, terminal: true }] };
    await caddy.client.putConfig(config);

    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'bench' } } };
    const body = JSON.stringify(call);
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };
    const bearer = { authorization: `Bearer ${key}` };
    const modern = { ...headers, ...bearer, 'mcp-protocol-version': MODERN_PROTOCOL_VERSION, 'mcp-method': 'tools/call', 'mcp-name': 'echo' };
    const caddyPid = caddy.child.pid!;
    type Name = Exclude<keyof GatewayFloor, 'concurrency' | 'duration_ms' | 'rounds' | 'route_over_floor' | 'header_only_over_floor' | 'route_over_plain_caddy'>;
    const caddyProc = { name: 'caddy', pid: caddyPid };
    const authdProc = { name: 'authd', pid: authd.pid! };
    const targets: Record<Name, { url: string; headers: Record<string, string>; pids: { name: string; pid: number }[] }> = {
      direct: { url: upstream.url, headers, pids: [] },
      plain_caddy: { url: `http://127.0.0.1:${plainPort}/mcp`, headers, pids: [caddyProc] },
      floor_caddy_trivial_forward_auth: { url: `http://127.0.0.1:${floorPort}/secured/mcp`, headers: { ...headers, ...bearer }, pids: [caddyProc, { name: 'responder', pid: responder.pid! }] },
      mcpgw_route_tool_policy: { url: `${gateway.url}/secured/mcp`, headers: { ...headers, ...bearer }, pids: [caddyProc, authdProc] },
      mcpgw_header_only_2026_07_28: { url: `${gateway.url}/modern/mcp`, headers: modern, pids: [caddyProc, authdProc] },
    };
    const names = Object.keys(targets) as Name[];
    const runs = Object.fromEntries(names.map((n) => [n, [] as LoadResult[]])) as Record<Name, LoadResult[]>;
    const cpu = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Name, number[]>;
    const byProcess = Object.fromEntries(names.map((n) => [n, {} as Record<string, number[]>])) as Record<Name, Record<string, number[]>>;
    for (const name of names) await loadLoop(() => httpStatus(agent, { ...targets[name], body }), { concurrency, durationMs: 500 }); // warm-up
    for (let r = 0; r < rounds; r++) {
      // Rotate the order so no target always runs first (or last) on a busy machine.
      for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
        const { pids } = targets[name];
        const before = pids.map((p) => cpuMs(p.pid));
        const result = await loadLoop(() => httpStatus(agent, { ...targets[name], body }), { concurrency, durationMs });
        const used = pids.map((p, i) => cpuMs(p.pid) - before[i]!);
        const calls = (result.requests_per_s * durationMs) / 1000;
        runs[name].push(result);
        if (pids.length) cpu[name].push(used.reduce((a, b) => a + b, 0) / calls);
        pids.forEach((p, i) => (byProcess[name][p.name] ??= []).push(used[i]! / calls));
      }
    }
    const median = (xs: number[]) => (xs.length ? round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!, 4) : null);
    const result = Object.fromEntries(names.map((n) => [n, { ...medianResult(runs[n]), gateway_cpu_ms_per_call: median(cpu[n]), cpu_ms_per_call_by_process: Object.fromEntries(Object.entries(byProcess[n]).map(([p, xs]) => [p, median(xs)])) }])) as Record<Name, TargetResult>;
    for (const [name, r] of Object.entries(result)) if (r.non_2xx) throw new Error(`${name}: ${r.non_2xx} answers were not 2xx`);
    const over = (a: Name, b: Name) => round(result[a].requests_per_s / result[b].requests_per_s);
    return {
      concurrency,
      duration_ms: durationMs,
      rounds,
      ...result,
      route_over_floor: over('mcpgw_route_tool_policy', 'floor_caddy_trivial_forward_auth'),
      header_only_over_floor: over('mcpgw_header_only_2026_07_28', 'floor_caddy_trivial_forward_auth'),
      route_over_plain_caddy: over('mcpgw_route_tool_policy', 'plain_caddy'),
    };
  } finally {
    agent.destroy();
    await Promise.all(children.map(stopChild)); // before the checkout they write in is removed
    await gateway.close();
    upstream.close();
  }
}
