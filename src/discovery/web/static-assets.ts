// The web UI's static files (the page, its scripts and styles) and the security headers every
// answer of the web server carries; JSON and redirects are the shared core/http helpers.
import type { ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Assets sit beside this module: src/discovery/web/assets under tsx, dist/discovery/web/assets after the build copies them. */
export const ASSETS_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'assets');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Every answer: no framing (clickjacking), no sniffing, scripts and styles only from here. */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer a same-origin POST carries `Origin: null`,
  // which the gateway's origin check (and ours) would refuse.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/** Set once when a request arrives, so every answer (JSON, page, asset, stream, redirect) carries them. */
export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/** Serve one file of the assets folder; false when there is no such asset. */
export async function sendAsset(res: ServerResponse, relativePath: string, dir = ASSETS_DIR): Promise<boolean> {
  const file = normalize(join(dir, relativePath));
  const type = CONTENT_TYPES[extname(file)];
  if (!file.startsWith(dir + sep) || !type) return false;
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    return false;
  }
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
  res.end(data);
  return true;
}
