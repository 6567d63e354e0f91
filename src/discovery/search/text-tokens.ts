// The words BM25 indexes and looks up: Orama's English tokenizer (its splitter, our stop
// words, its stemmer), the same normalisation the full-text side was tuned with, so that
// "forecasts" and "forecasting" meet at "forecast".
import { tokenizer as oramaTokenizer } from '@orama/orama/components';
import { STOP_WORDS } from './identifier-words.js';

const tokenizer = oramaTokenizer.createTokenizer({ language: 'english', stemming: true, stopWords: [...STOP_WORDS] });

/** Distinct stemmed words of a text, in order of first appearance (Orama counts each once). */
export function textTokens(text: string): string[] {
  return tokenizer.tokenize(text, 'english', undefined, true) as string[];
}
