// Open a URL in the user's browser when there is one; never required (the URL is always printed).
import { spawn } from 'node:child_process';

export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY || env.BROWSER);
}

export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : [env.BROWSER || 'xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {}); // no opener installed: the printed URL is the fallback
    child.unref();
  } catch {
    // same fallback
  }
}
