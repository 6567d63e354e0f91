// Small schema pieces shared by the file formats.
import { z } from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "30s", "500ms", "5m", "1h" or a number of milliseconds → milliseconds. */
export const duration = z.union([z.number().int().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = DURATION.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration` });
    return z.NEVER;
  }
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
});

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

export const httpUrl = z.string().refine(isHttpUrl, (v) => ({ message: `"${v}" is not an http(s) URL` }));

/** host:port, [v6]:port or unix//path — Caddy's address forms. */
export const listenAddress = z.string().regex(/^(unix\/\/.+|(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):\d{1,5})$/, 'is not host:port or unix//path');
