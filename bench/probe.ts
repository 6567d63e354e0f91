// Wall time to probe 100 services (SDK servers on 100 loopback ports, all in this process) with
// the default concurrency, recording snapshots and health as `mcpgw probe` does.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadProject } from '../src/core/config/project.js';
import { DEFAULT_CONCURRENCY, probeServices, selectServices } from '../src/control/probe/index.js';
import { sampleTool, startSdkServer } from '../testkit/sdk-server.js';

const SERVICES = Number(process.env.PROBE_BENCH_SERVICES ?? 100);
const ROUNDS = 3;

const servers = await Promise.all(Array.from({ length: SERVICES }, (_, i) => startSdkServer({ name: `bench-${i}`, tools: [sampleTool('a'), sampleTool('b'), sampleTool('c')] })));
const dir = await mkdtemp(join(tmpdir(), 'mcpgw-bench-probe-'));
try {
  await mkdir(join(dir, 'registry.d'));
  await Promise.all(servers.map((s, i) => writeFile(join(dir, 'registry.d', `svc-${i}.yaml`), stringify({ name: `svc-${i}`, upstream: s.url }))));
  const project = await loadProject(dir);
  const services = selectServices(project);
  const walls: number[] = [];
  let latencies: number[] = [];
  let healthy = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const results = await probeServices(project, services);
    walls.push(Math.round(performance.now() - started));
    healthy = results.filter((r) => r.health.status === 'healthy').length;
    latencies = results.map((r) => r.health.latencyMs ?? 0).sort((a, b) => a - b);
  }
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'probe',
      services: SERVICES,
      concurrency: DEFAULT_CONCURRENCY,
      healthy,
      wallMsFirstRound: walls[0],
      wallMsMedian: [...walls].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)],
      wallMsRounds: walls,
      perServiceLatencyMs: { p50: pct(50), p95: pct(95), max: latencies.at(-1) },
      note: 'servers and prober share one Node process; includes writing snapshots and health.json',
    })}\n`,
  );
} finally {
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
}
