// What each route does, read back from any Caddy JSON config — ours, Caddy's adaptation of
// our Caddyfile, or whatever a Caddy runs. Subroutes are flattened, so two configs that
// behave alike describe alike. Used by `mcpgw status` and to check the Caddyfile render.
import { SERVER_NAME, type CaddyConfig, type CaddyHandler, type CaddyRoute } from './caddy-json.js';
import { AUTHD_PATH, MCPGW_HEADER } from '../../core/wire/contract.js';

export interface RouteAnatomy {
  /** Path matchers, or `(origin check)` / `(fallback)`. */
  match: string;
  respond?: { status: number | string; body: string };
  /** `copies`: what authd's 2xx puts on the request (header → authd's header it is copied from). */
  auth?: { authd: string; uri: string; service?: string; copies?: Record<string, string> };
  rewrite: { stripPrefix?: string; uri?: string };
  upstreams?: string[];
  flushInterval?: unknown;
  dropsAuthorization?: boolean;
  /** The upstream's 401/403 go to authd's /challenge (what authd answers in its place). */
  relaysChallengesTo?: string;
  upstreamHeaders?: Record<string, string>;
  /** Where the upstream's answer to a GET is reported (authd's /stream-open: calls held behind the stream go on). */
  reportsStreamsTo?: string;
  /** Headers Caddy sets on the answers it proxies (X-Accel-Buffering). */
  responseHeaders?: Record<string, string>;
  maxBodyBytes?: number;
}

function flatten(handlers: CaddyHandler[]): CaddyHandler[] {
  return handlers.flatMap((h) => (h.handler === 'subroute' ? (h.routes as CaddyRoute[]).flatMap((r) => flatten(r.handle)) : [h]));
}

function matchOf(route: CaddyRoute): string {
  const paths = (route.match ?? []).flatMap((m) => (m.path as string[] | undefined) ?? []);
  const excluded = (route.match ?? []).flatMap((m) => ((m.not as { path?: string[] }[] | undefined) ?? []).flatMap((n) => n.path ?? []));
  if (paths.length) return [[...paths].sort().join(' '), ...(excluded.length ? [`not ${[...excluded].sort().join(' ')}`] : [])].join(' ');
  if ((route.match ?? []).some((m) => m.header)) return '(origin check)';
  return '(fallback)';
}

/** The request headers a forward_auth's 2xx routes set from authd's answer (`{http.reverse_proxy.header.X}`). */
function copiedOnAllow(h: CaddyHandler): Record<string, string> {
  const out: Record<string, string> = {};
  for (const response of (h.handle_response as { routes?: CaddyRoute[] }[] | undefined) ?? []) {
    for (const handler of flatten((response.routes ?? []).flatMap((r) => r.handle))) {
      const set = (handler.request as { set?: Record<string, string[]> } | undefined)?.set ?? {};
      for (const [name, [value]] of Object.entries(set)) {
        const from = /^\{http\.reverse_proxy\.header\.([^}]+)\}$/.exec(value ?? '')?.[1];
        if (from) out[name] = from;
      }
    }
  }
  return out;
}

export function routeAnatomy(route: CaddyRoute): RouteAnatomy {
  const a: RouteAnatomy = { match: matchOf(route), rewrite: {} };
  for (const h of flatten(route.handle)) {
    if (h.handler === 'static_response') a.respond = { status: h.status_code as number, body: String(h.body ?? '') };
    // The limit is max_size - 1: Caddy reads one byte more so authd can tell a cut body (proxy-chain).
    if (h.handler === 'request_body') a.maxBodyBytes = (h.max_size as number) - 1;
    if (h.handler === 'rewrite') {
      if (h.strip_path_prefix) a.rewrite.stripPrefix = h.strip_path_prefix as string;
      if (h.uri) a.rewrite.uri = h.uri as string;
    }
    if (h.handler !== 'reverse_proxy') continue;
    const dials = (h.upstreams as { dial: string }[]).map((u) => u.dial);
    const request = (h.headers as { request?: { set?: Record<string, string[]>; delete?: string[] } } | undefined)?.request;
    const sub = (h.rewrite as { uri?: string } | undefined)?.uri;
    if (sub) {
      a.auth = { authd: dials.join(' '), uri: sub, service: request?.set?.[MCPGW_HEADER.service]?.[0] };
      const copies = copiedOnAllow(h);
      if (Object.keys(copies).length) a.auth.copies = copies;
      continue;
    }
    a.upstreams = dials;
    a.flushInterval = h.flush_interval;
    a.dropsAuthorization = (request?.delete ?? []).includes('Authorization');
    for (const response of (h.handle_response as { routes?: CaddyRoute[] }[] | undefined) ?? []) {
      const to = flatten((response.routes ?? []).flatMap((x) => x.handle)).find((x) => x.handler === 'reverse_proxy');
      const uri = (to?.rewrite as { uri?: string } | undefined)?.uri;
      if (!uri) continue;
      // A relay answers refusals (401/403) in the upstream's place; a report lets the answer through.
      if (uri === AUTHD_PATH.streamOpen) a.reportsStreamsTo = uri;
      else a.relaysChallengesTo = uri;
    }
    const set = Object.entries(request?.set ?? {}).filter(([k]) => k !== 'Host');
    if (set.length) a.upstreamHeaders = Object.fromEntries(set.map(([k, v]) => [k, v.join(', ')]));
    const down = Object.entries((h.headers as { response?: { set?: Record<string, string[]> } } | undefined)?.response?.set ?? {});
    if (down.length) a.responseHeaders = Object.fromEntries(down.map(([k, v]) => [k, v.join(', ')]));
  }
  return a;
}

export function configAnatomy(config: CaddyConfig | null): RouteAnatomy[] {
  const servers = Object.entries(config?.apps?.http?.servers ?? {});
  const server = servers.find(([name]) => name === SERVER_NAME)?.[1] ?? servers[0]?.[1];
  return (server?.routes ?? []).map(routeAnatomy);
}
