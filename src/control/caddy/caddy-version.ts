// Which Caddy runs, and what that lets the config use. Debian ships 2.6.2; other distributions
// and caddyserver.com ship newer ones. On ≥ 2.7 every streaming reverse_proxy gets
// `stream_close_delay`, so a config change (a new route) no longer cuts open SSE and
// Streamable HTTP streams at once; 2.6 has no such option and rejects it.
import { spawnSync } from 'node:child_process';
import type { CaddyConfig, CaddyHandler } from './caddy-json.js';

export interface CaddyVersion {
  major: number;
  minor: number;
  patch: number;
}

/** How long a stream may outlive the config that opened it (Caddy ≥ 2.7). */
export const STREAM_CLOSE_DELAY = '5m';

/** `v2.6.2 h1:…` or `2.7.6` → {2, 6, 2}; undefined for anything else. */
export function parseCaddyVersion(text: string): CaddyVersion | undefined {
  const m = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) } : undefined;
}

export function formatCaddyVersion(v: CaddyVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** The version `binary version` prints; undefined when it does not run (a remote-only setup). */
export function detectCaddyVersion(binary: string): CaddyVersion | undefined {
  const run = spawnSync(binary, ['version'], { encoding: 'utf8', timeout: 10_000 });
  return run.status === 0 ? parseCaddyVersion(run.stdout) : undefined;
}

export function supportsStreamCloseDelay(v: CaddyVersion | undefined): boolean {
  return v !== undefined && (v.major > 2 || (v.major === 2 && v.minor >= 7));
}

/** Pure: the same config with `stream_close_delay` on every streaming (flush_interval -1) reverse_proxy, when the version has it. */
export function withVersionFeatures(config: CaddyConfig, version: CaddyVersion | undefined): CaddyConfig {
  if (!supportsStreamCloseDelay(version)) return config;
  const streaming = (h: CaddyHandler): CaddyHandler => (h.handler === 'reverse_proxy' && h.flush_interval === -1 ? { ...h, stream_close_delay: STREAM_CLOSE_DELAY } : h);
  const servers = Object.fromEntries(
    Object.entries(config.apps.http.servers).map(([name, server]) => [name, { ...server, routes: server.routes.map((r) => ({ ...r, handle: r.handle.map(streaming) })) }]),
  );
  return { ...config, apps: { ...config.apps, http: { ...config.apps.http, servers } } };
}
