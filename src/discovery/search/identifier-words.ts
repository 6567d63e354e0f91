// Turns identifiers and prose into the lowercase words both rankers see: tool and parameter
// names are split at snake_case, kebab-case, camelCase and digit boundaries so that
// "getStockQuote" matches "stock quote".

/** Split an identifier into lowercase words: "get_PRQuote-v2" → ["get", "pr", "quote", "v", "2"]. */
export function identifierWords(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-zA-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Words of free text, with identifiers inside it split as well (descriptions name parameters). */
export function textWords(text: string): string[] {
  return text.split(/\s+/).flatMap(identifierWords);
}

/**
 * Function words that carry no meaning for tool search. A generic English list, not tuned to
 * any query set: both the full-text and the embedding side ignore them.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then else of to in on at by for from with without into onto about as ' +
    'is are was were be been being am do does did done doing have has had having will would shall should can could may might must ' +
    'i me my mine we us our you your he him his she her it its they them their this that these those there here ' +
    'what which who whom whose when where why how all any some each every no not only own same so than too very ' +
    'just also up down out over under again further once please want need let lets like get give me s t'
  ).split(' '),
);

/** Content words of a text: split, lowercased, stop words removed. */
export function contentWords(text: string): string[] {
  return textWords(text).filter((w) => !STOP_WORDS.has(w));
}
