// The cost of watching authd: /verify over HTTP with the audit trail only (metrics and tracing
// off), with metrics on, and with metrics and OTLP tracing on (spans to a local receiver that
// accepts and drops them). Three authd on one checkout, measured in rotating order; medians.
import { appendFile } from 'node:fs/promises';
import { Agent, createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startAuthd, type RunningAuthd } from '../src/gateway/authd/authd-server.js';
import type { JwtVerifier } from '../src/core/identity/jwt-verifier.js';
import { httpStatus, loadLoop, medianResult, round, type LoadResult } from './_load.js';

/** An OTLP/HTTP sink: reads and drops every export, like a collector that keeps up. */
const IN_PROCESS_CALLS = 50_000;

export async function startSink(): Promise<{ url: string; exports: () => number; close(): Promise<void> }> {
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, exports: () => exports, close: () => new Promise((r) => server.close(() => r())) };
}

export async function measureObservability(dir: string, verifier: JwtVerifier, token: string, body: string, options: { durationMs?: number; rounds?: number } = {}) {
  const durationMs = options.durationMs ?? 2_000;
  const rounds = options.rounds ?? 3;
  const sink = await startSink();
  const quiet = { root: dir, log: () => {}, jwtVerifiers: [verifier] };
  const variants: Record<'audit_only' | 'metrics' | 'metrics_tracing', RunningAuthd> = {
    audit_only: await startAuthd({ ...quiet, listen: '127.0.0.1:0' }),
    metrics: await startAuthd({ ...quiet, listen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' }),
    // Tracing is a mcpgw.yaml setting: the third authd reads the file with it added.
    metrics_tracing: await appendFile(join(dir, 'mcpgw.yaml'), `tracing:\n  otlp_endpoint: ${sink.url}\n`).then(() => startAuthd({ ...quiet, listen: '127.0.0.1:0', metricsListen: '127.0.0.1:0' })),
  };
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const headers = { authorization: `Bearer ${token}`, 'x-mcpgw-service': 'everything', 'x-mcpgw-body': body, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
  try {
    const names = Object.keys(variants) as (keyof typeof variants)[];
    // In process first (the whole decision plus what watches it: counters, histogram, span), where the machine's load matters least.
    const verify = { authorization: headers.authorization, service: 'everything', body, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' };
    const fakeRequest = { headers } as unknown as IncomingMessage;
    const inProcess = {} as Record<keyof typeof variants, number>;
    for (const name of names) {
      const { observer, authorizer } = variants[name];
      const decideOnce = () => observer.observe(fakeRequest, verify, () => authorizer.authorize(verify));
      for (let i = 0; i < 5_000; i++) await decideOnce();
      const start = performance.now();
      for (let i = 0; i < IN_PROCESS_CALLS; i++) await decideOnce();
      inProcess[name] = Math.round((IN_PROCESS_CALLS / (performance.now() - start)) * 1000);
    }
    const runs = Object.fromEntries(names.map((n) => [n, [] as LoadResult[]])) as Record<keyof typeof variants, LoadResult[]>;
    const run = (name: keyof typeof variants, ms: number) => loadLoop(() => httpStatus(agent, { url: `${variants[name].url}/verify`, headers }), { concurrency: 16, durationMs: ms });
    for (const name of names) await run(name, 500); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) runs[name].push(await run(name, durationMs));
    }
    const result = Object.fromEntries(names.map((n) => [n, medianResult(runs[n])])) as Record<keyof typeof variants, LoadResult>;
    const scrapeStart = performance.now();
    const scraped = await (await fetch(variants.metrics.metricsUrl!)).text();
    if (!scraped.includes('mcpgw_decisions_total')) throw new Error(`${variants.metrics.metricsUrl} did not answer the metrics`);
    const scrapeMs = performance.now() - scrapeStart;
    return {
      concurrency: 16,
      duration_ms: durationMs,
      rounds,
      in_process_per_s: inProcess,
      in_process_ratio_metrics_over_off: round(inProcess.metrics / inProcess.audit_only),
      in_process_ratio_tracing_over_off: round(inProcess.metrics_tracing / inProcess.audit_only),
      verify_per_s: { audit_only: result.audit_only.requests_per_s, metrics: result.metrics.requests_per_s, metrics_tracing: result.metrics_tracing.requests_per_s },
      p99_ms: { audit_only: result.audit_only.p99_ms, metrics: result.metrics.p99_ms, metrics_tracing: result.metrics_tracing.p99_ms },
      ratio_metrics_over_off: round(result.metrics.requests_per_s / result.audit_only.requests_per_s),
      ratio_tracing_over_off: round(result.metrics_tracing.requests_per_s / result.audit_only.requests_per_s),
      scrape: { ms: round(scrapeMs, 1), bytes: scraped.length },
      otlp_exports: sink.exports(),
    };
  } finally {
    agent.destroy();
    for (const authd of Object.values(variants)) await authd.close();
    await sink.close();
  }
}
