// authd throughput: the pure policy core, the full decision with a warm cache (in process),
// a cold JWT verification, and /verify over HTTP on loopback with a bounded load loop.
// Prints one JSON object. Usage: npm run bench -- authz
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, createServer, request } from 'node:http';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startAuthd } from '../src/auth/authd-server.js';
import { JwtVerifier } from '../src/auth/jwt-verifier.js';
import { decide } from '../src/auth/policy.js';
import { gatewayProject } from '../test/fixtures/oidc/gateway-project.js';
import { applyProject } from '../src/caddy/apply.js';
import { loadProject } from '../src/config/project.js';
import { freePort, waitForPort } from '../test/helpers/ports.js';
import { stopChild } from '../test/helpers/everything.js';

const GATEWAY = 'http://127.0.0.1:18099';
const ISSUER = 'http://127.0.0.1:1/bench-issuer';

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

async function timed(n: number, fn: (i: number) => unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return rate(n, performance.now() - start);
}

function httpCall(agent: Agent, url: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers, method: body ? 'POST' : 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `concurrency` workers send requests back to back for `ms`; returns requests/s and errors. */
async function loadLoop(send: () => Promise<number>, concurrency: number, ms: number): Promise<{ rps: number; non2xx: number }> {
  const deadline = performance.now() + ms;
  let done = 0;
  let non2xx = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const status = await send();
        done++;
        if (status >= 300) non2xx++;
      }
    }),
  );
  return { rps: rate(done, performance.now() - start), non2xx };
}

const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
const [gwPort, adminPort, authdPort] = [await freePort(), await freePort(), await freePort()];
const GATEWAY_URL = `http://127.0.0.1:${gwPort}`;
// The upstream answers at once, so the figures measure the gateway, not an MCP server.
const upstream = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}'));
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}/mcp`;
const project = await gatewayProject({ issuer: ISSUER, audience: GATEWAY, gatewayListen: `127.0.0.1:${gwPort}`, authdListen: `127.0.0.1:${authdPort}`, upstream: upstreamUrl, caddyAdmin: `127.0.0.1:${adminPort}` });
await writeFile(join(project.dir, 'registry.d', 'plain.yaml'), `name: plain\nauth: none\ntransport: streamable-http\nupstream: ${upstreamUrl}\n`);
const provider = { issuer: ISSUER, audience: GATEWAY, client_id: 'mcpgw-cli', groups_claim: 'groups', algorithms: ['RS256' as const], clock_skew: 5000 };
const verifier = new JwtVerifier(provider, jwks);
const sign = () =>
  new SignJWT({ sub: 'alice', groups: ['developers'] }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(GATEWAY).setIssuedAt().setExpirationTime('1h').sign(privateKey);
const authd = await startAuthd({ root: project.dir, log: () => {}, jwtVerifiers: [verifier] });
try {
  const token = await sign();
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } });
  const policy = authd.source.current.policy;
  const identity = { groups: ['developers'] };

  const pureDecide = await timed(300_000, (i) => decide(policy, identity, { server: 'everything', method: 'tools/call', name: i % 2 ? 'echo' : 'get-sum' }));
  const coldJwtVerify = await timed(2_000, () => verifier.verify(token));
  const verifyRequest = { authorization: `Bearer ${token}`, service: 'everything', body };
  await authd.authorizer.authorize(verifyRequest);
  const warmInProcess = await timed(100_000, () => authd.authorizer.authorize(verifyRequest));

  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const headers = { authorization: `Bearer ${token}`, 'x-mcpgw-service': 'everything', 'x-mcpgw-body': body };
  const url = `${authd.url}/verify`;
  await loadLoop(() => httpCall(agent, url, headers), 8, 500); // warm-up
  const http = await loadLoop(() => httpCall(agent, url, headers), 16, 3_000);

  // Gateway overhead: the same request direct, through Caddy without auth, and through Caddy + authd.
  const bootstrap = join(project.dir, 'caddy-bootstrap.json');
  await writeFile(bootstrap, JSON.stringify({ admin: { listen: `127.0.0.1:${adminPort}` } }));
  const caddy = spawn('caddy', ['run', '--config', bootstrap], { stdio: 'ignore' });
  let overhead: Record<string, unknown>;
  try {
    await waitForPort(adminPort, '127.0.0.1', 30_000);
    const applied = await applyProject(await loadProject(project.dir));
    if (!applied.ok) throw new Error('caddy apply failed');
    await waitForPort(gwPort, '127.0.0.1', 30_000);
    const rpc = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const measure = async (target: string, extra: Record<string, string> = {}) => {
      const send = () => httpCall(agent, target, { ...mcpHeaders, ...extra }, rpc);
      await loadLoop(send, 8, 500);
      return loadLoop(send, 16, 3_000);
    };
    const direct = await measure(upstreamUrl);
    const plain = await measure(`${GATEWAY_URL}/plain/mcp`);
    const guarded = await measure(`${GATEWAY_URL}/everything/mcp`, { authorization: `Bearer ${await sign()}` });
    overhead = {
      requests_per_s: { direct: direct.rps, caddy: plain.rps, caddy_authd: guarded.rps },
      non_2xx: { direct: direct.non2xx, caddy: plain.non2xx, caddy_authd: guarded.non2xx },
      ratio_caddy_vs_direct: Number((plain.rps / direct.rps).toFixed(3)),
      ratio_caddy_authd_vs_caddy: Number((guarded.rps / plain.rps).toFixed(3)),
      ratio_caddy_authd_vs_direct: Number((guarded.rps / direct.rps).toFixed(3)),
    };
  } finally {
    await stopChild(caddy);
  }
  agent.destroy();

  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'authz',
      node: process.version,
      decisions_per_s: {
        pure_decide: pureDecide,
        in_process_warm_cache: warmInProcess,
        cold_jwt_verify_rs256: coldJwtVerify,
        http_loopback_warm_cache: http.rps,
      },
      http: { concurrency: 16, duration_ms: 3000, non_2xx: http.non2xx, keep_alive: true },
      gateway_overhead: { concurrency: 16, duration_ms: 3000, ...overhead },
    })}\n`,
  );
} finally {
  await authd.close();
  upstream.close();
  await project.cleanup();
}
