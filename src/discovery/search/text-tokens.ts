// The terms full-text search indexes and looks up. Words of any alphabet are split at identifier
// boundaries ("getStockQuote" → get stock quote), stop words dropped and English words stemmed
// (Orama's stemmer: "forecasts", "forecasting" → "forecast"). Han, Kana and Hangul have no
// spaces between words, so their runs become overlapping character pairs ("必应搜索" → 必应 应搜
// 搜索): a query in those scripts then matches the text it shares pairs with.
import { tokenizer as oramaTokenizer } from '@orama/orama/components';
import { STOP_WORDS } from './identifier-words.js';

const stem = oramaTokenizer.createTokenizer({ language: 'english', stemming: true }).stemmer!;

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const ASCII_WORD = /^[a-z]+$/;

/** Letters-and-digits words of a non-CJK run, split at camelCase, snake_case and digit boundaries. */
function runWords(run: string): string[] {
  return run
    .replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w.toLowerCase().normalize('NFD').replace(/\p{M}/gu, ''));
}

function pairs(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** Every term of a text in order, repeats kept (term frequencies count them). */
export function allTerms(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  const words = (run: string) => {
    for (const word of runWords(run)) {
      if (STOP_WORDS.has(word)) continue;
      out.push(ASCII_WORD.test(word) && word.length > 2 ? stem(word) : word);
    }
  };
  for (const match of text.matchAll(CJK_RUN)) {
    words(text.slice(at, match.index));
    out.push(...pairs(match[0]));
    at = match.index + match[0].length;
  }
  words(text.slice(at));
  return out;
}

/** Distinct terms of a text, in order of first appearance. */
export function textTokens(text: string): string[] {
  return [...new Set(allTerms(text))];
}

/** How often each term occurs in a text. */
export function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of allTerms(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}
