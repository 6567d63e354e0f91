// The request body travels to authd in a header (Caddy's `{http.request.body}`), and a header
// value cannot hold CR, LF or other control bytes: Go's transport refuses it and the client got
// a bare 502. Caddy therefore replaces each such byte with a private-use character (these
// rules, rendered as header `replace` ops) and authd puts the byte back before parsing, so
// pretty-printed and CRLF JSON is decided like any other. A body that itself holds U+E00A,
// U+E00D or U+E000 is read as holding a control byte there: at worst a 400, never an allow.

export interface BodyHeaderEscape {
  /** Go (RE2) regular expression for the bytes replaced. */
  searchRegexp: string;
  /** What Caddy puts in their place. */
  marker: string;
  /** What authd puts back. */
  original: string;
}

export const BODY_HEADER_ESCAPES: readonly BodyHeaderEscape[] = [
  { searchRegexp: '\\n', marker: '\u{E00A}', original: '\n' },
  { searchRegexp: '\\r', marker: '\u{E00D}', original: '\r' },
  // Every other byte a header value refuses (tab is allowed); JSON never holds them raw, so
  // which one it was does not matter: authd reads a NUL, and JSON.parse refuses it.
  { searchRegexp: '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]', marker: '\u{E000}', original: '\u0000' },
];

const MARKERS = new RegExp(`[${BODY_HEADER_ESCAPES.map((e) => e.marker).join('')}]`, 'gu');
const ORIGINAL = new Map(BODY_HEADER_ESCAPES.map((e) => [e.marker, e.original]));

/** The body as the client sent it, from the X-Mcpgw-Body text (already decoded as UTF-8). */
export function decodeBodyHeader(text: string): string {
  return text.replace(MARKERS, (m) => ORIGINAL.get(m)!);
}
