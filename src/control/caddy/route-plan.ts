// What an apply would change: routes added, changed and removed (by Caddy `@id`), and whether
// anything outside the routes (listen address, TLS, admin) differs. Pure.
import { canonicalJson } from '../../core/config/canonical-json.js';
import { SERVER_NAME, type CaddyConfig, type CaddyRoute } from './caddy-json.js';

export interface RoutePlan {
  added: string[];
  changed: string[];
  removed: string[];
  /** Settings beyond the routes differ (listen, TLS, admin address, foreign servers …). */
  settingsChanged: boolean;
  inSync: boolean;
}

function routesById(config: CaddyConfig | null): Map<string, CaddyRoute> {
  const routes = config?.apps?.http?.servers?.[SERVER_NAME]?.routes ?? [];
  return new Map(routes.map((r, i) => [r['@id'] ?? `(unnamed route ${i})`, r]));
}

function withoutRoutes(config: CaddyConfig | null): string {
  if (!config) return 'null';
  const copy = structuredClone(config);
  const server = copy.apps?.http?.servers?.[SERVER_NAME];
  if (server) server.routes = [];
  return canonicalJson(copy);
}

export function planRoutes(current: CaddyConfig | null, desired: CaddyConfig): RoutePlan {
  const before = routesById(current);
  const after = routesById(desired);
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...after.keys()].filter((id) => before.has(id) && canonicalJson(before.get(id)) !== canonicalJson(after.get(id)));
  // Same routes in another order also matters: Caddy runs routes in order.
  const reordered = added.length + removed.length === 0 && canonicalJson([...before.keys()]) !== canonicalJson([...after.keys()]);
  const settingsChanged = withoutRoutes(current) !== withoutRoutes(desired) || reordered;
  return { added, changed, removed, settingsChanged, inSync: !added.length && !changed.length && !removed.length && !settingsChanged };
}
