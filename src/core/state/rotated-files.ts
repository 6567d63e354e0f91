// One naming rule for rotated JSON-lines logs (authd's audit trail, Caddy's access log) and
// one reader that streams a log's lines oldest first: rotated files (plain or .gz), then the live one.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `audit.jsonl` rotated at `time` → `audit-20261201T221500Z-1.jsonl` (sorts by time). */
export function rotatedName(name: string, time: Date, index: number): string {
  const ext = extname(name);
  const stamp = `${time.getUTCFullYear()}${pad(time.getUTCMonth() + 1)}${pad(time.getUTCDate())}T${pad(time.getUTCHours())}${pad(time.getUTCMinutes())}${pad(time.getUTCSeconds())}Z`;
  return `${name.slice(0, name.length - ext.length)}-${stamp}-${pad(index, 3)}${ext}`;
}

/**
 * A rotation period as rotating-file-stream's interval (whole days, hours dividing 24, minutes
 * or seconds dividing 60: rotations fall on clock boundaries); undefined when it is none of those.
 */
export function rotationInterval(ms: number): string | undefined {
  if (ms > 0 && ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  const fits = (unit: number, per: number) => ms % unit === 0 && ms / unit > 0 && per % (ms / unit) === 0;
  if (fits(3_600_000, 24)) return `${ms / 3_600_000}h`;
  if (fits(60_000, 60)) return `${ms / 60_000}m`;
  if (fits(1000, 60)) return `${ms / 1000}s`;
  return undefined;
}

/**
 * The files of a log, oldest first (by last write): every `<base>-*<ext>` (our names and lumberjack's, which
 * Caddy uses: `<base>-2006-01-02T15-04-05.000<ext>`), optionally gzipped, then `file` itself.
 */
export async function logFiles(file: string): Promise<string[]> {
  const dir = dirname(file);
  const name = basename(file);
  const ext = extname(name);
  const base = name.slice(0, name.length - ext.length);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const names = entries.filter((e) => e.startsWith(`${base}-`) && (e.endsWith(ext) || e.endsWith(`${ext}.gz`)));
  // By last write, not name: a rotation reuses the lowest free index once retention deleted it.
  const rotated = await Promise.all(names.map(async (e) => ({ path: join(dir, e), mtime: (await stat(join(dir, e)).catch(() => undefined))?.mtimeMs ?? 0 })));
  rotated.sort((a, b) => a.mtime - b.mtime || (a.path < b.path ? -1 : 1));
  return [...rotated.map((r) => r.path), ...(entries.includes(name) ? [file] : [])];
}

/** Every line of a log and its rotated files, oldest first; unparsable lines are skipped. */
export async function* readLogLines(file: string): AsyncGenerator<string> {
  for (const path of await logFiles(file)) {
    const raw = createReadStream(path);
    const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    try {
      for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line) yield line;
    } catch (err) {
      // Rotated away between listing and reading: its lines are in the next file.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/** JSON values of a log's lines; a line that does not parse (cut by a crash) is skipped. */
export async function* readJsonLines<T>(file: string): AsyncGenerator<T> {
  for await (const line of readLogLines(file)) {
    try {
      yield JSON.parse(line) as T;
    } catch {
      // a torn last line
    }
  }
}
