// Retrieval quality of `mcpgw find` on labelled tool sets (default: the development sets
// ../shared/bench-data/reference-servers and livemcpbench; `--set=DIR`, repeatable, for others).
// Per set, pool and query kind: recall@1/5/10 and nDCG@10 of a textbook BM25 baseline, find's
// full text alone, the embedder alone and the final ranking, and a paired bootstrap interval of
// final − BM25 on nDCG@10. Pools: `small` is the set's own tools; `full` adds every other set's
// tools as distractors, except copies of the set's own tools (same name and description, any
// release: see sameTool): a copy is the same tool, and as a distractor it would tie with the gold
// one, a tie each ranker breaks by its own arbitrary order (the baseline's favoured the set's
// tools, find's its ids). `--verbose` lists the final ranking's misses on stderr;
// `--embedder=NAME` measures another search.embedder than the default (e.g. `use`, the shipped
// sentence encoder).
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openIndex } from '../src/discovery/search/index-update.js';
import { findTools } from '../src/discovery/search/find-tools.js';
import type { RankMode } from '../src/discovery/search/rank.js';
import { loadBenchSet, type BenchSet, type LabelledQuery } from './_bench-sets.js';
import { plainBm25 } from './_plain-bm25.js';
import { meanScores, pairedBootstrap, scoreQuery, type QueryScores } from './_retrieval-metrics.js';
import { checkoutName, toolCheckout, type ToolCatalogue } from './_tool-checkout.js';
import { canonicalJson } from '../src/core/config/canonical-json.js';

/** shared/bench-data beside the checkout or beside one of its parents (worktrees sit a level deeper). */
function benchData(): string {
  for (let dir = fileURLToPath(new URL('..', import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dirname(dir), 'shared', 'bench-data');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('no shared/bench-data found above the checkout: pass --set=DIR');
}
const setArgs = process.argv.filter((a) => a.startsWith('--set=')).map((a) => resolve(a.slice(6)));
const devDirs = () => ['reference-servers', 'livemcpbench'].map((d) => join(benchData(), d));
const verbose = process.argv.includes('--verbose');
const embedderName = process.argv.find((a) => a.startsWith('--embedder='))?.slice(11);

const measured = await Promise.all((setArgs.length ? setArgs : devDirs()).map(loadBenchSet));
const distractorSets = setArgs.length ? await Promise.all(devDirs().map(loadBenchSet)) : [];

/**
 * Two tools are the same tool of the same software when name and description agree: LiveMCPBench
 * ships the reference servers' memory tools, and an older release of their filesystem tools whose
 * directory_tree lacks `excludePatterns` and whose read_multiple_files lacks parameter
 * descriptions. The input schema is not compared, because releases of one tool add parameters and
 * serialise schemas differently; a tool of another server that shares the name but not the text
 * stays a distractor.
 */
const sameTool = (tool: ToolCatalogue[string][number]) =>
  canonicalJson([tool.name, tool.description ?? '']);

/**
 * The set's tools plus every other set's as distractors, in one catalogue: servers of the same
 * name are one server (the set's), and a distractor that is the same tool as one of the set's is
 * left out — it is that tool, not a wrong answer.
 */
function pool(set: BenchSet, others: readonly BenchSet[]): { catalogue: ToolCatalogue; descriptions: Record<string, string> } {
  const catalogue: ToolCatalogue = { ...set.catalogue };
  const descriptions: Record<string, string> = { ...set.descriptions };
  const own = new Set(Object.values(set.catalogue).flat().map(sameTool));
  for (const other of others) {
    if (other === set) continue;
    for (const [server, tools] of Object.entries(other.catalogue)) {
      if (catalogue[server]) continue;
      const distractors = tools.filter((t) => !own.has(sameTool(t)));
      if (!distractors.length) continue;
      catalogue[server] = distractors;
      descriptions[server] = other.descriptions[server] ?? '';
    }
  }
  return { catalogue, descriptions };
}

const MODES: [string, RankMode | 'bm25'][] = [['bm25', 'bm25'], ['fullText', 'text'], ['embedder', 'vector'], ['final', 'hybrid']];

async function measurePool(set: BenchSet, pool: { catalogue: ToolCatalogue; descriptions: Record<string, string> }) {
  const dir = await toolCheckout(pool.catalogue, (s) => pool.descriptions[s] ?? '', embedderName);
  try {
    const opened = await openIndex(dir);
    const baseline = plainBm25(pool.catalogue, pool.descriptions, checkoutName);
    const rankedBy = async (mode: RankMode | 'bm25', q: LabelledQuery) =>
      mode === 'bm25' ? baseline.search(q.query, 10) : (await findTools(opened, q.query, { topK: 10, mode })).results.map((r) => `${r.server}/${r.tool}`);
    const perQuery: Record<string, QueryScores[]> = Object.fromEntries(MODES.map(([name]) => [name, []]));
    const kinds: Record<string, unknown> = {};
    for (const [kindName, kind] of Object.entries(set.kinds)) {
      const scores: Record<string, QueryScores[]> = {};
      for (const [name, mode] of MODES) {
        scores[name] = [];
        for (const q of kind.queries) {
          const ranked = await rankedBy(mode, q);
          const s = scoreQuery(ranked, q, kind.recall);
          scores[name].push(s);
          if (verbose && name === 'final' && s.recallAt1 < 1) process.stderr.write(`${set.name}/${kindName} miss@1 ${q.query.slice(0, 100)} → ${ranked.slice(0, 3).join(', ')} (want ${q.groups.map((g) => g[0]).join(', ')})\n`);
        }
        perQuery[name]!.push(...scores[name]);
      }
      kinds[kindName] = { queries: kind.queries.length, ...summary(scores) };
    }
    return { tools: Object.values(pool.catalogue).flat().length, embedder: opened.index.manifest.embedder, warnings: opened.warnings, all: summary(perQuery), kinds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function summary(scores: Record<string, QueryScores[]>) {
  const ndcg = (name: string) => scores[name]!.map((s) => s.ndcgAt10);
  const interval = pairedBootstrap(ndcg('final'), ndcg('bm25'));
  return {
    ...Object.fromEntries(MODES.map(([name]) => [name, meanScores(scores[name]!)])),
    finalMinusBm25NdcgAt10: { ...interval, beatsBm25: interval.low > 0 },
  };
}

const out: Record<string, unknown> = {};
for (const set of measured) {
  const pools = { small: pool(set, []), full: pool(set, [...measured, ...distractorSets]) };
  const result: Record<string, unknown> = {};
  for (const [poolName, pool] of Object.entries(pools)) result[poolName] = await measurePool(set, pool);
  out[set.name] = result;
}
process.stdout.write(`${JSON.stringify(out)}\n`);
