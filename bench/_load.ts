// A bounded load loop on loopback: N keep-alive workers send requests back to back for a fixed
// time; reports requests/s, p50/p99 latency and non-2xx answers. Shared by the benchmarks.
import { Agent, request } from 'node:http';

export interface LoadResult {
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  non_2xx: number;
}

export interface HttpCall {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export function httpStatus(agent: Agent, call: HttpCall): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(call.url, { agent, method: call.method ?? (call.body ? 'POST' : 'GET'), headers: call.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(call.body);
  });
}

/** Calls per second (wall) and CPU microseconds per call, `fn` run n times one after the other: the machine is shared, CPU time says more. */
export async function timed(n: number, fn: (i: number) => unknown): Promise<{ per_s: number; cpu_us: number }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn(i);
  const used = process.cpuUsage(cpu);
  return { per_s: Math.round((n / (performance.now() - start)) * 1000), cpu_us: Math.round(((used.user + used.system) / n) * 100) / 100 };
}

export async function loadLoop(send: () => Promise<number>, options: { concurrency: number; durationMs: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  let non2xx = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const status = await send();
        latencies.push(performance.now() - t0);
        if (status < 200 || status >= 300) non2xx++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  return { requests_per_s: Math.round(latencies.length / seconds), p50_ms: pct(0.5), p99_ms: pct(0.99), non_2xx: non2xx };
}

export function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Per-field median of several runs of the same measurement. */
export function medianResult(runs: LoadResult[]): LoadResult {
  return {
    requests_per_s: median(runs.map((r) => r.requests_per_s)),
    p50_ms: median(runs.map((r) => r.p50_ms)),
    p99_ms: median(runs.map((r) => r.p99_ms)),
    non_2xx: runs.reduce((n, r) => n + r.non_2xx, 0),
  };
}

export interface RoundsOptions {
  concurrency?: number;
  durationMs?: number;
  rounds?: number;
}

/** The gateway benchmarks' defaults: 16 clients, 3 s per target per round, 3 rounds. */
export function roundsOf(options: RoundsOptions): Required<RoundsOptions> {
  return { concurrency: options.concurrency ?? 16, durationMs: options.durationMs ?? 3000, rounds: options.rounds ?? 3 };
}
