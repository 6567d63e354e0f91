// Small HTTP answers of the web server: JSON, redirects, request bodies, static assets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BadRequestError } from './errors.js';
import { readBodyCapped } from '../../core/http/request-body.js';

/** Assets sit beside this module: src/discovery/web/assets under tsx, dist/discovery/web/assets after the build copies them. */
export const ASSETS_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'assets');

const MAX_BODY_BYTES = 64 * 1024;

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

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, { ...SECURITY_HEADERS, location, 'cache-control': 'no-store', ...headers });
  res.end();
}

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const body = await readBodyCapped(req, MAX_BODY_BYTES);
  if (!body) throw new BadRequestError(`request body larger than ${MAX_BODY_BYTES} bytes`);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequestError('request body is not JSON');
  }
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
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' });
  res.end(data);
  return true;
}
