// Atomic writes (temp file + rename) and a per-file lock so concurrent editors lose no update.
import { open, rename, unlink, readFile, stat, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isPidAlive } from '../state/process-liveness.js';

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
}

const STALE_LOCK_MS = 30_000;

/** Run `fn` holding an exclusive lock on `path` (a sibling `.lock` file). */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const lock = join(dirname(path), `.${basename(path)}.lock`);
  await mkdir(dirname(path), { recursive: true });
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await isStale(lock)) {
        await unlink(lock).catch(() => {});
        continue;
      }
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for the lock on ${path} (${lock}); remove it if no mcpgw is running`);
      await new Promise((r) => setTimeout(r, Math.min(5 + attempt * 5, 50) + Math.random() * 10));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => {});
  }
}

async function isStale(lock: string): Promise<boolean> {
  try {
    const [info, pid] = await Promise.all([stat(lock), readFile(lock, 'utf8')]);
    if (Date.now() - info.mtimeMs > STALE_LOCK_MS) return true;
    const owner = Number(pid);
    if (!owner) return false;
    return !isPidAlive(owner);
  } catch {
    return false;
  }
}

/** Read-modify-write under the lock; `change` returns the new text or undefined for no change. */
export async function editFileLocked(path: string, change: (text: string) => string | undefined | Promise<string | undefined>): Promise<boolean> {
  return withFileLock(path, async () => {
    const text = await readFile(path, 'utf8');
    const next = await change(text);
    if (next === undefined || next === text) return false;
    await writeFileAtomic(path, next);
    return true;
  });
}
