// Whether a process id still names a running process. One rule for `up`/`down`, `status` and
// the file locks: an exited child its parent has not reaped yet (a zombie) is not alive.
import { readFileSync } from 'node:fs';

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers signal 0. Linux says so in /proc/<pid>/stat (state Z); elsewhere
  // there is no /proc and signal 0 is the best answer there is.
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
