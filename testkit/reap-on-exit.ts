// Children a test or benchmark starts die with it. A process that ends without stopping them —
// an uncaught error, a crash in a server callback — would otherwise leave Caddy, authd or an MCP
// server running on a private port nobody will stop, holding the parent's stdio open (a shell
// pipe then waits forever). On exit, each child still running gets SIGKILL. (A parent killed
// by a signal has no exit event; its children are then stopped by their own stop().)
import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
let hooked = false;

/** Registers `child` to be killed when this process exits, and returns it. */
export function reapOnExit<T extends ChildProcess>(child: T): T {
  if (child.exitCode !== null || child.signalCode !== null) return child;
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  return child;
}
