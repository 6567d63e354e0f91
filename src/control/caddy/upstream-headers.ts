// Header values for the upstream, written so secrets stay out of the pushed config where Caddy
// allows it: `${env:X}` becomes Caddy's `{env.X}` placeholder (read from Caddy's own
// environment at request time). Caddy 2.6 has no file placeholder, so `${file:P}` is read at
// apply time and its value does enter Caddy's in-memory config (reported as a note).
import { resolveSecrets } from '../../core/config/secrets.js';

const REFERENCE = /\$\{(env|file):([^}]+)\}/g;

export interface CaddyHeaderValue {
  value: string;
  /** `${file:…}` references whose contents were inlined. */
  inlinedFiles: string[];
}

/** Literal braces would be read as Caddy placeholders; Caddy unescapes `\{` and `\}`. */
function escapeLiteral(text: string): string {
  return text.replace(/[{}]/g, (ch) => `\\${ch}`);
}

export function caddyHeaderValue(value: string, baseDir: string): CaddyHeaderValue {
  const inlinedFiles: string[] = [];
  let out = '';
  let last = 0;
  for (const m of value.matchAll(REFERENCE)) {
    out += escapeLiteral(value.slice(last, m.index));
    const [whole, kind, ref] = m as unknown as [string, string, string];
    if (kind === 'env') out += `{env.${ref}}`;
    else {
      out += escapeLiteral(resolveSecrets(whole, baseDir));
      inlinedFiles.push(ref);
    }
    last = m.index! + whole.length;
  }
  return { value: out + escapeLiteral(value.slice(last)), inlinedFiles };
}
