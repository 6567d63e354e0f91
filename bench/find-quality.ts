// Retrieval quality of `mcpgw find` on a labelled tool set (default ../shared/bench-data/
// reference-servers): recall@1/5/10 and nDCG@10 for full text alone, the embedder alone and
// hybrid. `--set=<dir>` picks another set with the same tools.json + queries.jsonl format.
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openIndex } from '../src/discovery/search/index-update.js';
import { findTools } from '../src/discovery/search/find-tools.js';
import type { RankMode } from '../src/discovery/search/rank.js';
import { toolCheckout, type ToolCatalogue } from './_tool-checkout.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const setArg = process.argv.find((a) => a.startsWith('--set='))?.slice(6);
const setDir = resolve(setArg ?? join(here, '..', '..', 'shared', 'bench-data', 'reference-servers'));
const verbose = process.argv.includes('--verbose');

const catalogue = JSON.parse(await readFile(join(setDir, 'tools.json'), 'utf8')) as ToolCatalogue;
const queries = (await readFile(join(setDir, 'queries.jsonl'), 'utf8'))
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { query: string; relevant: string[] });

const dir = await toolCheckout(catalogue);
try {
  const opened = await openIndex(dir);
  const out: Record<string, unknown> = { set: setDir, tools: Object.values(catalogue).flat().length, queries: queries.length, embedderId: opened.embedder?.id ?? 'none', warnings: opened.warnings };
  for (const mode of ['text', 'vector', 'hybrid'] as RankMode[]) {
    let r1 = 0, r5 = 0, r10 = 0, ndcg = 0;
    for (const q of queries) {
      const { results } = await findTools(opened, q.query, { topK: 10, mode });
      const ranks = results.map((r, i) => (q.relevant.includes(`${r.server}/${r.tool}`) ? i + 1 : 0)).filter(Boolean);
      const first = ranks[0] ?? Infinity;
      r1 += first <= 1 ? 1 : 0;
      r5 += first <= 5 ? 1 : 0;
      r10 += first <= 10 ? 1 : 0;
      const dcg = ranks.reduce((s, r) => s + 1 / Math.log2(r + 1), 0);
      const ideal = q.relevant.slice(0, 10).reduce((s, _r, i) => s + 1 / Math.log2(i + 2), 0);
      ndcg += dcg / ideal;
      if (verbose && mode === 'hybrid' && first > 1) process.stderr.write(`miss@1 ${q.query} → ${results.slice(0, 3).map((r) => `${r.server}/${r.tool}`).join(', ')} (want ${q.relevant.join(', ')}, at ${first})\n`);
    }
    const n = queries.length;
    const round = (x: number) => Math.round((x / n) * 1000) / 1000;
    out[mode === 'text' ? 'fullText' : mode === 'vector' ? 'embedder' : 'hybrid'] = { recallAt1: round(r1), recallAt5: round(r5), recallAt10: round(r10), ndcgAt10: round(ndcg) };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
