// Small schema pieces shared by the file formats.
import { z } from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A number, or a text of a number and a unit from `units` (case-insensitive) → number × unit. */
function unitQuantity(units: Record<string, number>, pattern: RegExp, what: string) {
  return z.union([z.number().int().nonnegative(), z.string()]).transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const m = pattern.exec(v.trim());
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a ${what}` });
      return z.NEVER;
    }
    return Math.round(Number(m[1]) * units[m[2]!.toLowerCase()]!);
  });
}

/** "30s", "500ms", "5m", "1h", "7d" or a number of milliseconds → milliseconds. */
export const duration = unitQuantity(UNIT_MS, DURATION, 'duration');

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

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/i;
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** "100MB", "64MiB" or a number of bytes → bytes. */
export const byteSize = unitQuantity(UNIT_BYTES, SIZE, 'size');
