// authd decisions with limits on: counters in process (RateLimiterMemory) and in a real Redis
// (started here on a private port), and the answer time while that Redis is stopped (open).
import { Agent } from 'node:http';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAuthd, type RunningAuthd } from '../src/gateway/authd/authd-server.js';
import type { JwtVerifier } from '../src/core/identity/jwt-verifier.js';
import { gatewayProject, type GatewayProjectOptions } from '../testkit/gateway-project.js';
import { startRedis } from '../testkit/redis.js';
import { decide } from '../src/core/policy/policy.js';
import { limitCharges } from '../src/core/policy/limits.js';
import { httpStatus, loadLoop, timed } from './_load.js';

/** Two counters per tools/call of echo (the scope's server rate and its echo rate), never exhausted here. */
const LIMITS = '{ rate: 1000000000/min, tools: { echo: { rate: 1000000000/min } } }';

export async function measureLimits(options: Omit<GatewayProjectOptions, 'everydayLimits'>, verifier: JwtVerifier, token: string, body: string) {
  const verifyRequest = { authorization: `Bearer ${token}`, service: 'everything', body };
  const headers = { authorization: `Bearer ${token}`, 'x-mcpgw-service': 'everything', 'x-mcpgw-body': body };
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const measure = async (authd: RunningAuthd, calls: number) => {
    await authd.authorizer.authorize(verifyRequest);
    const inProcess = await timed(calls, () => authd.authorizer.authorize(verifyRequest));
    const url = `${authd.url}/verify`;
    await loadLoop(() => httpStatus(agent, { url, headers }), { concurrency: 8, durationMs: 500 });
    const http = await loadLoop(() => httpStatus(agent, { url, headers }), { concurrency: 16, durationMs: 3_000 });
    return { in_process: inProcess.per_s, in_process_cpu_us: inProcess.cpu_us, http_loopback: http.requests_per_s, http_p50_ms: http.p50_ms, http_p99_ms: http.p99_ms, http_non_2xx: http.non_2xx };
  };

  const plain = await gatewayProject(options);
  const local = await gatewayProject({ ...options, everydayLimits: LIMITS });
  const redis = await startRedis();
  const shared = await gatewayProject({ ...options, everydayLimits: LIMITS });
  await appendFile(join(shared.dir, 'mcpgw.yaml'), `limits:\n  redis: { url: "${redis.url}", on_unavailable: open }\n`);
  const started: RunningAuthd[] = [];
  try {
    const plainAuthd = await startAuthd({ root: plain.dir, listen: '127.0.0.1:0', log: () => {}, jwtVerifiers: [verifier] });
    started.push(plainAuthd);
    const off = await measure(plainAuthd, 50_000);
    const memoryAuthd = await startAuthd({ root: local.dir, listen: '127.0.0.1:0', log: () => {}, jwtVerifiers: [verifier] });
    started.push(memoryAuthd);
    const { policy, services } = memoryAuthd.source.current;
    const decided = [{ call: { method: 'tools/call', name: 'echo', id: 1 }, decision: decide(policy, { groups: ['developers'] }, { server: 'everything', method: 'tools/call', name: 'echo' }) }];
    const charges = limitCharges({ policy, service: services.get('everything')!, identity: { kind: 'oidc', subject: 'alice' }, calls: decided });
    const pureCharges = await timed(300_000, async () => limitCharges({ policy, service: services.get('everything')!, identity: { kind: 'oidc', subject: 'alice' }, calls: decided }));
    const memory = await measure(memoryAuthd, 50_000);
    const redisAuthd = await startAuthd({ root: shared.dir, listen: '127.0.0.1:0', log: () => {}, jwtVerifiers: [verifier] });
    started.push(redisAuthd);
    while (redisAuthd.limits.counters.describe().connection !== 'ready') await new Promise((r) => setTimeout(r, 50));
    const inRedis = await measure(redisAuthd, 10_000);
    await redis.stop();
    while (redisAuthd.limits.counters.describe().connection === 'ready') await new Promise((r) => setTimeout(r, 50));
    const redisDown = await measure(redisAuthd, 10_000);
    return { counters_per_call: charges.length, pure_limit_charges_per_s: pureCharges.per_s, pure_limit_charges_cpu_us: pureCharges.cpu_us, limits_off: off, memory, redis: inRedis, redis_stopped_on_unavailable_open: redisDown };
  } finally {
    agent.destroy();
    for (const authd of started) await authd.close();
    await redis.stop();
    await plain.cleanup();
    await local.cleanup();
    await shared.cleanup();
  }
}
