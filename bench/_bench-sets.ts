// Labelled tool-retrieval sets for bench/find-quality, read from a directory in one of two forms:
// reference-servers (tools.json as {server: tools[]}, queries.jsonl) and LiveMCPBench (tools.json
// as a list of servers, *annotations*.json with tasks, steps and the tools annotators used).
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ToolCatalogue } from './_tool-checkout.js';

/** One labelled query: each group is a set of tool ids ("<server>/<tool>") any of which satisfies it. */
export interface LabelledQuery {
  query: string;
  groups: string[][];
}

export interface QueryKind {
  /** `any`: a query counts as recalled when one group is in the top k; `share`: the share of its groups that are. */
  recall: 'any' | 'share';
  queries: LabelledQuery[];
}

export interface BenchSet {
  name: string;
  catalogue: ToolCatalogue;
  /** Server descriptions, by the catalogue's server names. */
  descriptions: Record<string, string>;
  kinds: Record<string, QueryKind>;
}

/** A registry-safe service name, unique within `taken` (LiveMCPBench names have spaces, colons, CJK). */
function serviceName(raw: string, taken: Set<string>): string {
  const base = raw.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'server';
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

const json = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;

async function referenceSet(dir: string): Promise<BenchSet> {
  const catalogue = await json<ToolCatalogue>(join(dir, 'tools.json'));
  const queries = (await readFile(join(dir, 'queries.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { query: string; relevant: string[] })
    // nDCG counts each relevant tool; recall counts a query when any of them is found.
    .map((q) => ({ query: q.query, groups: q.relevant.map((id) => [id]) }));
  return { name: basename(dir), catalogue, descriptions: {}, kinds: { query: { recall: 'any', queries } } };
}

interface LiveServer {
  name: string;
  description?: string;
  tools: Record<string, { tools: { name: string; description?: string | null; inputSchema?: Record<string, unknown> | null }[] }>;
}
interface LiveTask {
  Question: string;
  'Annotator Metadata': { Steps: string; Tools: string };
}

/** "1. load\n2. beat_track" → ["load", "beat_track"]. */
const numberedLines = (text: string) => text.split('\n').map((l) => l.replace(/^\s*\d+[.)]\s*/, '').trim()).filter(Boolean);

async function liveMcpBenchSet(dir: string, annotationFiles: string[]): Promise<BenchSet> {
  const servers = await json<LiveServer[]>(join(dir, 'tools.json'));
  const taken = new Set<string>();
  const catalogue: ToolCatalogue = {};
  const descriptions: Record<string, string> = {};
  const idsByToolName = new Map<string, string[]>();
  for (const server of servers) {
    const name = serviceName(server.name, taken);
    // Only what a ListTools result must carry: the dump has fields (annotations: null) a registry refuses.
    const tools = Object.values(server.tools).flatMap((t) => t.tools.map((tool) => ({ name: tool.name, ...(tool.description && { description: tool.description }), ...(tool.inputSchema && { inputSchema: tool.inputSchema }) })));
    catalogue[name] = tools;
    descriptions[name] = server.description ?? '';
    for (const tool of tools) idsByToolName.set(tool.name, [...(idsByToolName.get(tool.name) ?? []), `${name}/${tool.name}`]);
  }
  const tasks: LabelledQuery[] = [];
  const steps: LabelledQuery[] = [];
  for (const file of annotationFiles) {
    for (const task of await json<LiveTask[]>(join(dir, file))) {
      const meta = task['Annotator Metadata'];
      const toolNames = numberedLines(meta.Tools);
      // A tool name the catalogue lacks cannot be found by anyone: it is left out of the gold.
      const groups = toolNames.map((n) => idsByToolName.get(n) ?? []);
      if (groups.some((g) => g.length)) tasks.push({ query: task.Question, groups: [...new Map(groups.filter((g) => g.length).map((g) => [g.join(), g])).values()] });
      const stepTexts = numberedLines(meta.Steps);
      if (stepTexts.length !== toolNames.length) continue;
      stepTexts.forEach((step, i) => groups[i]!.length && steps.push({ query: step, groups: [groups[i]!] }));
    }
  }
  return { name: basename(dir), catalogue, descriptions, kinds: { task: { recall: 'share', queries: tasks }, step: { recall: 'share', queries: steps } } };
}

export async function loadBenchSet(dir: string): Promise<BenchSet> {
  const files = await readdir(dir);
  if (files.includes('queries.jsonl')) return referenceSet(dir);
  const annotations = files.filter((f) => /annotations.*\.json$/.test(f)).sort();
  if (annotations.length) return liveMcpBenchSet(dir, annotations);
  throw new Error(`${dir}: neither queries.jsonl nor *annotations*.json — not a tool-retrieval set`);
}
