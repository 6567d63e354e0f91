// authd throughput: the pure policy core, the full decision with a warm cache (in process),
// a cold JWT verification, /verify over HTTP on loopback, the same with rate limits on (counters
// in process and in Redis, and Redis stopped), and the gateway-overhead comparison.
// Prints one JSON object. Usage: npm run bench -- authz
import { Agent } from 'node:http';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startAuthd } from '../src/gateway/authd/authd-server.js';
import { JwtVerifier } from '../src/core/identity/jwt-verifier.js';
import { decide } from '../src/core/policy/policy.js';
import { gatewayProject } from '../testkit/gateway-project.js';
import { freePort } from '../testkit/ports.js';
import { httpStatus, loadLoop, timed } from './_load.js';
import { measureGatewayOverhead } from './_gateway-overhead.js';
import { measureLimits } from './_limits.js';
import { measureObservability } from './_observability.js';
import { measureCachedTokenExchange } from './_token-exchange.js';

const GATEWAY = 'http://127.0.0.1:18099';
const ISSUER = 'http://127.0.0.1:1/bench-issuer';

const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
const [gwPort, adminPort, authdPort] = [await freePort(), await freePort(), await freePort()];
const upstreamUrl = 'http://127.0.0.1:1/mcp'; // never called: /verify is measured alone
const projectOptions = { issuer: ISSUER, audience: GATEWAY, gatewayListen: `127.0.0.1:${gwPort}`, authdListen: `127.0.0.1:${authdPort}`, upstream: upstreamUrl, caddyAdmin: `127.0.0.1:${adminPort}` };
const project = await gatewayProject(projectOptions);
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
  await loadLoop(() => httpStatus(agent, { url, headers }), { concurrency: 8, durationMs: 500 }); // warm-up
  const http = await loadLoop(() => httpStatus(agent, { url, headers }), { concurrency: 16, durationMs: 3_000 });

  // Limits on: which limits a call spends (pure), then whole decisions counting them.
  const limits = await measureLimits(projectOptions, verifier, token, body);

  // Watching authd: audit only vs metrics on vs metrics and OTLP tracing on.
  const observability = await measureObservability(project.dir, verifier, token, body);

  // upstream_auth: token_exchange with the exchanged token cached, beside a static service.
  const tokenExchange = await measureCachedTokenExchange();

  // The gateway as a whole (direct, plain Caddy, mcpgw route, + authd): the shared benchmark.
  const overhead = await measureGatewayOverhead();
  agent.destroy();

  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'authz',
      node: process.version,
      decisions_per_s: {
        pure_decide: pureDecide.per_s,
        in_process_warm_cache: warmInProcess.per_s,
        cold_jwt_verify_rs256: coldJwtVerify.per_s,
        http_loopback_warm_cache: http.requests_per_s,
      },
      // CPU time per decision (this process): steadier than the rates on a shared machine.
      cpu_us_per_decision: { pure_decide: pureDecide.cpu_us, in_process_warm_cache: warmInProcess.cpu_us, cold_jwt_verify_rs256: coldJwtVerify.cpu_us },
      http: { concurrency: 16, duration_ms: 3000, p50_ms: http.p50_ms, p99_ms: http.p99_ms, non_2xx: http.non_2xx, keep_alive: true },
      limits_on: limits,
      observability,
      token_exchange_cached: tokenExchange,
      gateway_overhead: overhead,
    })}\n`,
  );
} finally {
  await authd.close();
  await project.cleanup();
}
