// The baseline find-quality compares against: textbook Okapi BM25 (k1 1.2, b 0.75, counted term
// frequencies) over one text per tool — its name, description, parameters and server — through
// an off-the-shelf English tokenizer with stemming (Orama's), as anyone would set it up.
import { tokenizer as oramaTokenizer } from '@orama/orama/components';
import type { ToolCatalogue } from './_tool-checkout.js';

const tokenizer = oramaTokenizer.createTokenizer({ language: 'english', stemming: true, allowDuplicates: true });
const tokens = (text: string) => tokenizer.tokenize(text, 'english', undefined, true) as string[];
const K1 = 1.2;
const B = 0.75;

export interface PlainBm25 {
  search(query: string, k: number): string[];
}

export function plainBm25(catalogue: ToolCatalogue, descriptions: Record<string, string>, serviceName: (server: string) => string): PlainBm25 {
  const ids: string[] = [];
  const termCounts: Map<string, number>[] = [];
  const documentFrequency = new Map<string, number>();
  for (const [server, tools] of Object.entries(catalogue)) {
    for (const tool of tools) {
      const params = JSON.stringify(tool.inputSchema?.properties ?? {});
      const counts = new Map<string, number>();
      for (const t of tokens([server, descriptions[server] ?? '', tool.name.replace(/[_-]/g, ' '), tool.description ?? '', params].join(' '))) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const t of counts.keys()) documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
      ids.push(`${serviceName(server)}/${tool.name}`);
      termCounts.push(counts);
    }
  }
  const lengths = termCounts.map((c) => [...c.values()].reduce((s, n) => s + n, 0));
  const average = lengths.reduce((s, n) => s + n, 0) / (lengths.length || 1);
  const n = ids.length;
  return {
    search(query, k) {
      const scores = termCounts.map((counts, doc) => {
        let score = 0;
        for (const t of new Set(tokens(query))) {
          const tf = counts.get(t);
          if (!tf) continue;
          const df = documentFrequency.get(t)!;
          const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
          score += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lengths[doc]!) / average));
        }
        return score;
      });
      return scores
        .map((score, doc) => ({ score, doc }))
        .filter((s) => s.score > 0)
        .sort((a, b) => b.score - a.score || a.doc - b.doc)
        .slice(0, k)
        .map((s) => ids[s.doc]!);
    },
  };
}
