// Speed of `mcpgw find` at 10,000 tools (400 servers × 25): index build time, warm query
// p50/p99 in process, the incremental update after one service changed, and cold `mcpgw find`
// wall time from the built dist (run `npm run build` first). `--tools=N` changes the size,
// `--embedder=NAME` the search.embedder (default: mcpgw's).
// Beside wall times, CPU times (warm: per query; cold: the whole process), which a machine
// shared with other work inflates far less. Beside cold find, cold `mcpgw call` through a
// gateway `mcpgw up` started (bench/_cold-call.ts).
import { spawnSync } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openIndex } from '../src/discovery/search/index-update.js';
import { findTools } from '../src/discovery/search/find-tools.js';
import { toolCheckout, type ToolCatalogue } from './_tool-checkout.js';
import { measureColdCall } from './_cold-call.js';

const total = Number(process.argv.find((a) => a.startsWith('--tools='))?.slice(8) ?? 10_000);
const perServer = 25;
const embedderName = process.argv.find((a) => a.startsWith('--embedder='))?.slice(11);
const bin = fileURLToPath(new URL('../bin/mcpgw.js', import.meta.url));
const cpuAtExit = fileURLToPath(new URL('./_cpu-at-exit.cjs', import.meta.url));

const domains = ['invoice', 'customer', 'order', 'shipment', 'forecast', 'ticket', 'repository', 'calendar event', 'email', 'file', 'database table', 'payment', 'user account', 'chat message', 'stock quote', 'map route', 'document', 'image', 'sensor reading', 'build pipeline'];
const verbs = ['get', 'list', 'create', 'update', 'delete', 'search', 'export', 'archive', 'approve', 'summarize'];
const qualifiers = ['by id', 'for a date range', 'with filters', 'in bulk', 'for the current user'];

function catalogue(): ToolCatalogue {
  const out: ToolCatalogue = {};
  for (let i = 0; i < total; i++) {
    const server = `svc-${Math.floor(i / perServer)}`;
    const domain = domains[i % domains.length]!;
    const verb = verbs[Math.floor(i / domains.length) % verbs.length]!;
    const qualifier = qualifiers[Math.floor(i / 7) % qualifiers.length]!;
    (out[server] ??= []).push({
      name: `${verb}_${domain.replace(/ /g, '_')}_${i}`,
      description: `${verb[0]!.toUpperCase()}${verb.slice(1)} ${domain} records ${qualifier} (variant ${i})`,
      inputSchema: { type: 'object', properties: { id: { type: 'string', description: `The ${domain} identifier` }, limit: { type: 'integer', description: 'How many results' } } },
    });
  }
  return out;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (x: number) => Math.round(x * 100) / 100;
const queries = ['will it rain tomorrow', 'refund a customer payment', 'show recent invoices', 'find a user by email', 'export the sales table', 'approve pending orders', 'where is my package', 'summarize the document', 'list failed builds', 'temperature sensor values'];

const dir = await toolCheckout(catalogue(), (s) => `Service ${s}`, embedderName);
try {
  let started = performance.now();
  const opened = await openIndex(dir);
  const buildMs = performance.now() - started;
  const indexBytes = (await stat(join(dir, '.mcpgw', 'index', 'index.bin'))).size;

  for (const q of queries) await findTools(opened, q); // warm-up
  const warm: number[] = [];
  const warmCpu: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const q of queries) {
      started = performance.now();
      const cpu = process.cpuUsage();
      await findTools(opened, q);
      const used = process.cpuUsage(cpu);
      warm.push(performance.now() - started);
      warmCpu.push((used.user + used.system) / 1000);
    }
  }
  warm.sort((a, b) => a - b);
  warmCpu.sort((a, b) => a - b);

  // One service gains a tool: only its documents are rebuilt, the rest copied from the index.
  const changed = join(dir, 'registry.d', 'svc-0.yaml');
  const definition = JSON.parse(await readFile(changed, 'utf8')) as { tools: unknown[] };
  definition.tools.push({ name: 'rotate_api_key', description: 'Rotate the API key of a service account', inputSchema: { type: 'object' } });
  await writeFile(changed, JSON.stringify(definition));
  started = performance.now();
  const updated = await openIndex(dir);
  const incrementalMs = performance.now() - started;
  if (updated.update.kind !== 'incremental') throw new Error(`expected an incremental update, got ${updated.update.kind}`);

  const cold: number[] = [];
  const coldCpu: number[] = [];
  const run = (args: string[]) => {
    const child = spawnSync(process.execPath, ['--require', cpuAtExit, bin, '-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`mcpgw ${args.join(' ')} failed: ${child.stderr}`);
    return Number(/cpu-ms ([\d.]+)/.exec(child.stderr)?.[1]);
  };
  run(['find', 'warm the page cache', '--json']);
  for (const q of queries.slice(0, 5)) {
    started = performance.now();
    coldCpu.push(run(['find', q, '--json']));
    cold.push(performance.now() - started);
  }
  cold.sort((a, b) => a - b);
  coldCpu.sort((a, b) => a - b);
  started = performance.now();
  const versionCpuMs = run(['--version']);
  const versionMs = performance.now() - started;
  const coldCall = await measureColdCall(bin);

  process.stdout.write(
    `${JSON.stringify({
      tools: total,
      servers: Math.ceil(total / perServer),
      embedder: opened.index.manifest.embedder,
      buildMs: ms(buildMs),
      indexMB: ms(indexBytes / 1e6),
      warmP50Ms: ms(percentile(warm, 50)),
      warmP99Ms: ms(percentile(warm, 99)),
      warmCpuP50Ms: ms(percentile(warmCpu, 50)),
      incrementalMs: ms(incrementalMs),
      coldFindMedianMs: ms(percentile(cold, 50)),
      coldFindMaxMs: ms(cold[cold.length - 1]!),
      coldFindCpuMedianMs: ms(percentile(coldCpu, 50)),
      coldVersionMs: ms(versionMs),
      coldVersionCpuMs: ms(versionCpuMs),
      ...coldCall,
    })}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
