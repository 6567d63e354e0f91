// After a registry.d change the writer waits until the running authd decides with the same
// definitions (enable/disable take effect there, not in Caddy): authd reports the fingerprint
// of what it runs on /healthz (core/config/definitions-fingerprint).
import type { Project } from '../../core/config/project.js';
import { definitionsFingerprint } from '../../core/config/definitions-fingerprint.js';
import { AUTHD_PATH } from '../../core/wire/contract.js';
import { dialOfListen } from '../caddy/proxy-chain.js';

export type AuthdSync = 'current' | 'stale' | 'not-running';

/** Poll authd's /healthz until it runs these definitions; authd reloads ~100 ms after a write. */
export async function waitForAuthd(project: Project, timeoutMs = 3000): Promise<AuthdSync> {
  const want = definitionsFingerprint(project.services);
  const url = `http://${dialOfListen(project.settings.authd.listen)}${AUTHD_PATH.healthz}`;
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
