// What the pure render needs from outside, gathered once: the `${file:…}` header secrets and
// the SSE endpoints apply last discovered (from the cache: no network here).
import type { Project } from '../../core/config/project.js';
import { resolveSecrets } from '../../core/config/secrets.js';
import type { CaddyConfig } from './caddy-json.js';
import { renderCaddyConfig, renderInputOf, type RenderInput } from './render.js';
import { readSseEndpoints } from './sse-endpoint-cache.js';
import { fileReferencesOf } from './upstream-headers.js';
import { readCheckoutId } from '../../core/state/checkout-identity.js';
import { detectCaddyVersion } from './caddy-version.js';

/**
 * `owner`: this checkout's id (apply makes it; render and routes only read it). The Caddy
 * version is asked of caddy.binary, which runs the gateway's Caddy (`mcpgw up`).
 */
export async function readRenderInput(project: Project, owner?: string): Promise<RenderInput> {
  const fileSecrets = Object.fromEntries(fileReferencesOf(project.services).map((ref) => [ref, resolveSecrets(`\${file:${ref}}`, project.paths.root)]));
  return {
    ...renderInputOf(project, { fileSecrets, sseEndpoints: await readSseEndpoints(project) }),
    owner: owner ?? (await readCheckoutId(project.stateDir)),
    caddyVersion: detectCaddyVersion(project.settings.caddy.binary),
  };
}

/** The Caddy config the files describe, as `render`, `routes` and apply compute it. */
export async function renderForProject(project: Project, owner?: string): Promise<{ config: CaddyConfig; warnings: string[] }> {
  return renderCaddyConfig(await readRenderInput(project, owner));
}
