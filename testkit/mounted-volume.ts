// A directory laid out the way the kubelet mounts a ConfigMap or Secret (its AtomicWriter): the
// files live in a timestamped directory, `..data` links to it, each top-level name links through
// `..data`, and an update writes a new directory and swaps `..data` with one rename.
import { mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

let generation = 0;

/** Write `files` (relative path → text) as the volume's new content, swapped in atomically. */
export async function writeVolume(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const version = `..${new Date().toISOString().replace(/[-:.]/g, '_')}.${process.pid}.${++generation}`;
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, version, path)), { recursive: true });
    await writeFile(join(dir, version, path), text, { mode: 0o644 });
  }
  const previous = await readlink(join(dir, '..data')).catch(() => undefined);
  await symlink(version, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  // Top-level names: one link each through ..data (a subdirectory like registry.d is one name).
  const top = new Set(Object.keys(files).map((p) => p.split('/')[0]!));
  for (const name of top) {
    await symlink(join('..data', name), join(dir, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
  for (const name of await readdir(dir)) {
    if (!name.startsWith('..') && !top.has(name)) await rm(join(dir, name), { force: true });
  }
  if (previous) await rm(join(dir, previous), { recursive: true, force: true });
}
