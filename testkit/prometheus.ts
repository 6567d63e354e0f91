// A real Prometheus server (Debian's `prometheus`) for tests: its own config scraping the given
// targets every second, its TSDB in a temp dir, its web API on a private loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';
import { stopChild } from './mcp-servers.js';
import { reapOnExit } from './reap-on-exit.js';

export interface RunningPrometheus {
  url: string;
  child: ChildProcess;
  /** An instant query through the HTTP API (/api/v1/query): the result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(targets: string[]): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-prometheus-'));
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  await writeFile(config, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: mcpgw\n    static_configs:\n      - targets: ${JSON.stringify(targets)}\n`);
  const child = reapOnExit(spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] }));
  let log = '';
  child.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
  try {
    await waitForPort(port, '127.0.0.1', 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`prometheus did not start: ${log}`, { cause: err });
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    child,
    query: async (promql) => {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as { status: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] }; error?: string };
      if (body.status !== 'success') throw new Error(`prometheus query ${promql}: ${body.error}`);
      return body.data!.result;
    },
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
