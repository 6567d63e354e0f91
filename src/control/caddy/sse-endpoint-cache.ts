// The SSE endpoints apply discovered, kept in the state dir: apply asks each SSE upstream again
// (a step of its own, before the pure render); render, routes and drift checks read only the cache.
import type { Project } from '../../core/config/project.js';
import { resolveSecretMap } from '../../core/config/secrets.js';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import { readJson } from '../../core/state/snapshots.js';
import { stateLayout } from '../../core/state/layout.js';
import { canonicalJson } from '../../core/config/canonical-json.js';
import { discoverSseEndpoint } from './sse-endpoint.js';

/** service name → the absolute path its SSE upstream announced; {} before the first apply. */
export async function readSseEndpoints(project: Project): Promise<Record<string, string>> {
  return (await readJson<Record<string, string>>(stateLayout(project.stateDir).sseEndpointsFile)) ?? {};
}

/**
 * Ask each SSE upstream where it wants messages posted — disabled ones too, since their routes
 * stay in Caddy (authd refuses them), so enable/disable leaves the config alone. When an
 * upstream does not answer, the path it announced last keeps its route stable.
 */
export async function discoverSseEndpoints(project: Project): Promise<Record<string, string>> {
  const cached = await readSseEndpoints(project);
  const found: Record<string, string> = {};
  await Promise.all(
    project.services
      .filter((s) => s.transport === 'sse' && s.upstreams[0])
      .map(async (svc) => {
        let headers: Record<string, string> = {};
        try {
          headers = resolveSecretMap(svc.headers, project.paths.root);
        } catch {
          /* a missing secret only means the upstream may refuse us; the cache still helps */
        }
        const path = (await discoverSseEndpoint(svc.upstreams[0]!, headers)) ?? cached[svc.name];
        if (path) found[svc.name] = path;
      }),
  );
  if (canonicalJson(found) !== canonicalJson(cached)) await writeFileAtomic(stateLayout(project.stateDir).sseEndpointsFile, `${JSON.stringify(found, null, 2)}\n`);
  return found;
}
