// Long-running commands (authd, host, web, serve) stay up until SIGTERM/SIGINT, then close cleanly.

/**
 * Wait for SIGTERM or SIGINT, then run `close`. `on`, not `once`: execa's exit hook re-raises a
 * signal nobody else listens to, which would kill mcpgw before it has stopped its children.
 */
export async function runUntilStopped(close: () => Promise<void>, onReload?: () => void): Promise<void> {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const reload = () => onReload?.();
  process.on('SIGTERM', stop).on('SIGINT', stop);
  if (onReload) process.on('SIGHUP', reload);
  try {
    await stopped;
    await close();
  } finally {
    process.off('SIGTERM', stop).off('SIGINT', stop).off('SIGHUP', reload);
  }
}
