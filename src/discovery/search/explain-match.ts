// For `find --explain`: which query words each field of a result contains. Words match when
// equal or when one is a prefix of the other of at least four letters ("forecasts"/"forecast"),
// close to what the stemming full-text ranker counts; CJK text by the character pairs it shares.
import { contentWords, textWords } from './identifier-words.js';
import { textTokens } from './text-tokens.js';
import type { ToolDocument } from './tool-documents.js';

export type FieldMatches = Partial<Record<'name' | 'description' | 'parameters' | 'server', string[]>>;

function wordsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

/** Character pairs of Han, Kana and Hangul text, which have no words to compare (see text-tokens). */
const cjkPairs = (text: string) => textTokens(text).filter((t) => CJK.test(t));
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function fieldMatches(query: string, doc: ToolDocument): FieldMatches {
  const terms = [...new Set(contentWords(query))];
  const pairs = cjkPairs(query);
  const fields = { name: doc.nameWords, description: doc.description, parameters: doc.params, server: doc.serverText };
  const out: FieldMatches = {};
  for (const [field, text] of Object.entries(fields) as [keyof FieldMatches, string][]) {
    const words = new Set(textWords(text));
    const fieldPairs = pairs.length ? new Set(cjkPairs(text)) : undefined;
    const hit = [...terms.filter((t) => [...words].some((w) => wordsMatch(t, w))), ...pairs.filter((p) => fieldPairs!.has(p))];
    if (hit.length) out[field] = hit;
  }
  return out;
}
