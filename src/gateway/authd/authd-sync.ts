// "The next request sees the change": after a registry.d edit the CLI waits until the running
// authd has reloaded the same definitions (enable/disable take effect there now, not in Caddy).
// Both sides fingerprint the definitions the same way; authd reports its own on /healthz.
import { createHash } from 'node:crypto';
import type { Project } from '../../core/config/project.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { canonicalJson } from '../../control/caddy/caddy-json.js';
import { dialOfListen } from '../../control/caddy/proxy-chain.js';

/** What authd decides with, minus where it was read from (`file` differs by checkout path). */
export function definitionsFingerprint(services: readonly ServiceDefinition[]): string {
  const comparable = [...services].sort((a, b) => a.name.localeCompare(b.name)).map(({ file: _file, ...rest }) => rest);
  return createHash('sha256').update(canonicalJson(comparable)).digest('hex').slice(0, 16);
}

export type AuthdSync = 'current' | 'stale' | 'not-running';

/** Poll authd's /healthz until it runs these definitions; authd reloads ~100 ms after a write. */
export async function waitForAuthd(project: Project, timeoutMs = 3000): Promise<AuthdSync> {
  const want = definitionsFingerprint(project.services);
  const url = `http://${dialOfListen(project.settings.authd.listen)}/healthz`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await fetch(url, { signal: AbortSignal.timeout(1000) })
      .then(async (res) => ((await res.json()) as { definitions?: string }).definitions)
      .catch(() => null);
    if (seen === null) return 'not-running';
    if (seen === want) return 'current';
    if (Date.now() > deadline) return 'stale';
    await new Promise((r) => setTimeout(r, 50));
  }
}
