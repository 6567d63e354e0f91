// Header values for the upstream, written so secrets stay out of the pushed config where Caddy
// allows it: `${env:X}` becomes Caddy's `{env.X}` placeholder (read from Caddy's own
// environment at request time). Caddy 2.6 has no file placeholder, so `${file:P}` values, read
// before rendering (render-input), do enter Caddy's in-memory config (reported as a note). Pure.
import type { ServiceDefinition } from '../../core/config/service.js';

const REFERENCE = /\$\{(env|file):([^}]+)\}/g;

export interface CaddyHeaderValue {
  value: string;
  /** `${file:…}` references whose contents were inlined. */
  inlinedFiles: string[];
}

/** Literal braces would be read as Caddy placeholders; Caddy unescapes `\{` and `\}`. */
export function escapeLiteral(text: string): string {
  return text.replace(/[{}]/g, (ch) => `\\${ch}`);
}

/** Every `${file:…}` reference in the services' upstream headers (what render-input must read). */
export function fileReferencesOf(services: readonly ServiceDefinition[]): string[] {
  const refs = new Set<string>();
  for (const svc of services) for (const value of Object.values(svc.headers ?? {})) for (const m of value.matchAll(REFERENCE)) if (m[1] === 'file') refs.add(m[2]!);
  return [...refs].sort();
}

/** `fileSecrets`: `${file:REF}` → the file's contents, for every reference in `value`. */
export function caddyHeaderValue(value: string, fileSecrets: Readonly<Record<string, string>>): CaddyHeaderValue {
  const inlinedFiles: string[] = [];
  let out = '';
  let last = 0;
  for (const m of value.matchAll(REFERENCE)) {
    out += escapeLiteral(value.slice(last, m.index));
    const [whole, kind, ref] = m as unknown as [string, string, string];
    if (kind === 'env') out += `{env.${ref}}`;
    else {
      const secret = fileSecrets[ref];
      if (secret === undefined) throw new Error(`\${file:${ref}} was not read before rendering`);
      out += escapeLiteral(secret);
      inlinedFiles.push(ref);
    }
    last = m.index! + whole.length;
  }
  return { value: out + escapeLiteral(value.slice(last)), inlinedFiles };
}
