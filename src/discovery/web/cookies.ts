// Cookies of the web UI. The session cookie is HttpOnly (no script reads it), Secure (never
// sent in clear over a network; browsers treat loopback as secure) and SameSite=Lax (not sent
// on cross-site POSTs — the first of two CSRF defences, the token header being the second).

import { UI_PATH } from '../../core/wire/contract.js';

export const SESSION_COOKIE = 'mcpgw_session';
/** Binds a sign-in in progress to the browser that started it (login CSRF, RFC 6749 §10.12). */
export const LOGIN_COOKIE = 'mcpgw_login';
const COOKIE_PATH = UI_PATH;

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return out;
}

export function setCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=${COOKIE_PATH}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; Secure; SameSite=Lax`;
}

export function clearCookie(name: string): string {
  return setCookie(name, '', 0);
}
