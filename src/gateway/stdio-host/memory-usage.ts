// Resident memory of a process and all its descendants, read from /proc (Linux). Used to
// enforce limits.memory_mb: `ulimit -v` caps address space, which kills runtimes like Node
// that reserve far more virtual memory than they use, so the host watches RSS instead.
import { readFile, readdir } from 'node:fs/promises';

export const MEMORY_LIMIT_SUPPORTED = process.platform === 'linux';

interface ProcStat {
  pid: number;
  ppid: number;
  rssPages: number;
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields restart after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), rssPages: Number(fields[21]) };
  } catch {
    return undefined;
  }
}

/** Sum of RSS in bytes of `rootPid` and its descendants; undefined when /proc is unavailable. */
export async function processTreeRss(rootPid: number): Promise<number | undefined> {
  if (!MEMORY_LIMIT_SUPPORTED) return undefined;
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number);
  const stats = (await Promise.all(pids.map(readStat))).filter((s): s is ProcStat => s !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const root = stats.find((s) => s.pid === rootPid);
  if (!root) return undefined;
  let pages = 0;
  const queue = [root];
  for (let s = queue.pop(); s; s = queue.pop()) {
    pages += s.rssPages;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return pages * 4096;
}
