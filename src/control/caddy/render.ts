// Desired state → Caddy JSON. Pure: no file, no network — what it needs from outside (file
// secrets, SSE endpoints) arrives in the input, gathered by render-input.ts.
// One route per defined service, enabled or not: authd answers for disabled and health-gated
// services per request, so enable/disable and health never change this config. Unknown paths
// answer a small JSON 404.
import { pathCovers, routeKey } from '../../core/config/service-paths.js';
import type { Project } from '../../core/config/project.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { publicUrl, type Settings } from '../../core/config/settings.js';
import { SERVER_NAME, type CaddyConfig, type CaddyRoute, type CaddyServer } from './caddy-json.js';
import { READ_BODY_FIRST, dialOf, dialOfListen, jsonResponse, proxyChain, upstreamQueryOf, type ProxyTarget } from './proxy-chain.js';
import { caddyHeaderValue } from './upstream-headers.js';
import { perCallerCredential } from '../../core/config/upstream-auth.js';
import { REGISTRY_PATH, RESOURCE_METADATA_PATH, UI_PATH, LIMITS_PATH, AUTHD_PATH, MCP_HEADER, MODERN_PROTOCOL_VERSION } from '../../core/wire/contract.js';
import { caddyLogging, serverAccessLogs } from './access-log.js';
import { withVersionFeatures, type CaddyVersion } from './caddy-version.js';
import { ownerTag } from '../../core/state/checkout-identity.js';
import { registryApiRoutes } from './registry-api-route.js';
import { sessionForwarding } from './session-forwarding.js';

export const ROUTE_ID_PREFIX = 'mcpgw-';

export interface RenderInput {
  settings: Settings;
  services: ServiceDefinition[];
  /** `${file:REF}` header references → the file's contents (read by render-input). */
  fileSecrets?: Readonly<Record<string, string>>;
  /**
   * For SSE services whose `endpoint` event names an absolute path outside the service
   * prefix (server-everything says `/message?sessionId=…`): service name → that path.
   * Discovered by apply (sse-endpoints.ts), read from its cache by everything else.
   */
  sseEndpoints?: Readonly<Record<string, string>>;
  /** The absolute state dir: Caddy writes its access log there (audit.access_log); none, no access log. */
  stateDir?: string;
  /** This checkout's id: the config's root `@id` says which checkout pushed it (apply refuses others'). */
  owner?: string;
  /** The Caddy that will run it: ≥ 2.7 adds stream_close_delay (caddy-version.ts); unknown = 2.6 features only. */
  caddyVersion?: CaddyVersion;
}

export interface RenderResult {
  config: CaddyConfig;
  /** Things the operator must hear on every apply (auth: none, inlined file secrets …). */
  warnings: string[];
}

export function renderInputOf(project: Project, extras: Pick<RenderInput, 'sseEndpoints' | 'fileSecrets'> = {}): RenderInput {
  return { settings: project.settings, services: project.services, stateDir: project.stateDir, ...extras };
}

/** Two SSE services announcing the same bare path cannot both be routed; the first (by name) wins. */
function routableEndpoints(input: RenderInput, warnings: string[]): Record<string, string> {
  const endpoints = input.sseEndpoints ?? {};
  const owner = new Map<string, string>();
  const out: Record<string, string> = {};
  for (const name of Object.keys(endpoints).sort()) {
    const path = endpoints[name]!;
    const clash = owner.get(routeKey(path)) ?? input.services.find((s) => pathCovers(s.path, path))?.name;
    if (clash && clash !== name) {
      warnings.push(`${name}: its SSE endpoint ${path} is already routed to ${clash}; its legacy SSE clients cannot post messages — give the upstream its own message path`);
      continue;
    }
    owner.set(routeKey(path), name);
    out[name] = path;
  }
  return out;
}

const accessLogged = (input: RenderInput) => input.settings.audit.access_log && input.stateDir !== undefined;

function targetFor(svc: ServiceDefinition, input: RenderInput, warnings: string[]): ProxyTarget {
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(svc.headers ?? {})) {
    const { value, inlinedFiles } = caddyHeaderValue(raw, input.fileSecrets ?? {});
    headers[name] = value;
    for (const f of inlinedFiles) {
      warnings.push(`${svc.name}: header ${name} reads \${file:${f}} at apply time — Caddy 2.6 has no file placeholder, so the value sits in Caddy's memory (admin API on loopback only); prefer \${env:…}`);
    }
  }
  const stdio = svc.transport === 'stdio';
  const queries = stdio ? [] : [...new Set(svc.upstreams.map(upstreamQueryOf))];
  if (queries.length > 1) warnings.push(`${svc.name}: its upstreams carry different query strings; Caddy sends the first one's (${queries[0] ?? 'none'}) to all — give them the same query`);
  return {
    service: svc.name,
    copyIdentity: svc.auth === 'required',
    authd: dialOfListen(input.settings.authd.listen),
    passAuthorization: svc.pass_authorization,
    upstreamCredential: perCallerCredential(svc.upstream_auth),
    // The stdio host is ours and answers its own JSON-RPC errors; so is a federation peer, a
    // gateway whose refusals concern this gateway's credential there (passed on as they are).
    relayChallenges: !stdio && !svc.federation,
    hideUpstreamChallenge: !!svc.federation,
    headers,
    upstreams: stdio ? [{ dial: dialOfListen(input.settings.stdio_host.listen), tls: false }] : svc.upstreams.map(dialOf),
    maxBodyBytes: svc.limits.max_body_bytes,
    responseTimeoutMs: svc.limits.timeout,
    maxConnsPerHost: svc.limits.max_concurrent,
    stripPrefix: svc.path,
    requestIdToAccessLog: accessLogged(input),
    // The stdio host serves every bridged server under /<name>/ (mcp, sse, messages); a peer
    // gateway serves its service under the peer's path for it.
    addPrefix: stdio ? `/${svc.name}` : svc.federation?.prefix,
    upstreamQuery: queries[0],
  };
}

const pathMatch = (path: string) => [{ path: [path, `${path}/*`] }];

/**
 * The gateway paths a service's traffic may take: its upstream URL's own path (and below), so
 * two services on one upstream host:port cannot reach each other's paths through the gateway.
 * An SSE service keeps its stream's folder, where servers put the message endpoint
 * (`/sse` + `/messages`). Undefined: the upstream path is the root, nothing to confine.
 */
function confinedPaths(svc: ServiceDefinition): string[] | undefined {
  // A peer's service stays under the peer's path for it (addPrefix); the peer confines the rest.
  if (svc.transport === 'stdio' || svc.federation) return undefined;
  const paths = new Set<string>();
  for (const url of svc.upstreams) {
    const path = new URL(url).pathname.replace(/\/+$/, '');
    const base = svc.transport === 'sse' ? path.slice(0, path.lastIndexOf('/')) : path;
    if (base === '') return undefined;
    paths.add(`${svc.path}${base}`);
  }
  return paths.size ? [...paths].sort().flatMap((p) => [p, `${p}/*`]) : undefined;
}

/** Paths under the service prefix but outside its upstream path answer 404 and reach nobody. */
function outsideRoute(svc: ServiceDefinition, id: string): CaddyRoute | undefined {
  const allowed = confinedPaths(svc);
  if (!allowed) return undefined;
  return {
    '@id': `${id}-outside`,
    // Caddy's path matcher compares cleaned, unescaped paths, so `..` and %2e%2e land here too.
    match: [{ path: [svc.path, `${svc.path}/*`], not: [{ path: allowed }] }],
    handle: [jsonResponse(404, { error: 'outside_service_path', message: `this service serves ${allowed[0]} only; other paths of its upstream are not reachable through the gateway` })],
    terminal: true,
  };
}

/**
 * 2026-07-28 requests name their method (and tool) in headers that an upstream which checks them
 * against the body refuses when they disagree (the stdio host and the registry server do): for
 * those, authd decides from the headers, without a copy of the body. Goes before the path's route.
 */
function headerOnlyRoute(id: string, path: string, target: ProxyTarget): CaddyRoute {
  const modern = { [MCP_HEADER.protocolVersion]: [MODERN_PROTOCOL_VERSION], [MCP_HEADER.method]: ['*'] };
  return { '@id': `${id}-header-only`, match: pathMatch(path).map((m) => ({ ...m, header: modern })), handle: proxyChain({ ...target, bodyToAuthd: false }), terminal: true };
}

function serviceRoutes(svc: ServiceDefinition, input: RenderInput, endpoints: Record<string, string>, warnings: string[]): CaddyRoute[] {
  const id = `${ROUTE_ID_PREFIX}service-${svc.name}`;
  if (svc.auth === 'none') warnings.push(`${svc.name}: auth: none — anyone who reaches the gateway can call it (local development only)`);
  const target = targetFor(svc, input, warnings);
  const outside = outsideRoute(svc, id);
  const routes: CaddyRoute[] = outside ? [outside] : [];
  if (svc.checks_mcp_headers ?? svc.transport === 'stdio') routes.push(headerOnlyRoute(id, svc.path, target));
  routes.push({ '@id': id, match: pathMatch(svc.path), handle: proxyChain(target), terminal: true });
  const endpoint = endpoints[svc.name];
  if (endpoint && svc.transport === 'sse' && !endpoint.startsWith(`${svc.path}/`)) {
    // The client resolves the endpoint against the gateway origin, so the POSTs arrive at the
    // bare upstream path: route exactly that path to the same upstream, unstripped.
    routes.push({ '@id': `${id}-sse-endpoint`, match: [{ path: [endpoint] }], handle: proxyChain({ ...target, stripPrefix: undefined }), terminal: true });
  }
  return routes;
}

/** The registry MCP server's routes: it applies the 2026-07-28 header rules itself, so such requests take the header-only path. */
function registryRoutes(input: RenderInput): CaddyRoute[] {
  const target: ProxyTarget = {
    service: 'mcpgw',
    copyIdentity: true,
    authd: dialOfListen(input.settings.authd.listen),
    // The registry server is part of the gateway (the token's audience): its call_tool presents
    // the caller's own token to <gateway>/<service>, where authd checks it again.
    passAuthorization: true,
    headers: {},
    upstreams: [{ dial: dialOfListen(input.settings.registry_server.listen), tls: false }],
    maxBodyBytes: 1024 * 1024,
    stripPrefix: REGISTRY_PATH,
    requestIdToAccessLog: accessLogged(input),
  };
  const id = `${ROUTE_ID_PREFIX}registry`;
  return [headerOnlyRoute(id, REGISTRY_PATH, target), { '@id': id, match: pathMatch(REGISTRY_PATH), handle: proxyChain(target), terminal: true }];
}

/** Far above what the web UI accepts (64 KiB): it answers an oversized body itself. */
const UI_MAX_BODY_BYTES = 1024 * 1024;

/** The web UI signs people in itself (OIDC session cookie), so no forward_auth; flushing keeps its event stream live. */
function uiRoute(settings: Settings): CaddyRoute {
  return {
    '@id': `${ROUTE_ID_PREFIX}ui`,
    match: pathMatch(UI_PATH),
    // Sign-in forms and actions are small; the body is read whole first (READ_BODY_FIRST), so bounded.
    handle: [{ handler: 'request_body', max_size: UI_MAX_BODY_BYTES }, READ_BODY_FIRST, { handler: 'reverse_proxy', upstreams: [{ dial: dialOfListen(settings.web.listen) }], flush_interval: -1 }],
    terminal: true,
  };
}

/** Browsers send Origin; only the gateway's own origin and gateway.allowed_origins pass (DNS rebinding). */
function originRoute(settings: Settings): CaddyRoute {
  const allowed = [new URL(publicUrl(settings)).origin, ...settings.gateway.allowed_origins];
  return {
    '@id': `${ROUTE_ID_PREFIX}origin-check`,
    match: [{ header: { Origin: ['*'] }, not: [{ header: { Origin: [...new Set(allowed)] } }] }],
    handle: [jsonResponse(403, { error: 'origin_not_allowed', message: 'this Origin is not in gateway.allowed_origins' })],
    terminal: true,
  };
}

function serverTls(settings: Settings): Pick<CaddyServer, 'automatic_https' | 'tls_connection_policies'> {
  if (settings.gateway.tls) return { automatic_https: { disable: true }, tls_connection_policies: [{}] };
  if (settings.gateway.domain) return {};
  return { automatic_https: { disable: true } };
}

/** persist: false — Caddy must not autosave configs (they may hold inlined file secrets). */
export function adminSection(listen: string): CaddyConfig['admin'] {
  return { listen, config: { persist: false } };
}

export function renderCaddyConfig(input: RenderInput): RenderResult {
  const { settings } = input;
  const warnings: string[] = [];
  const authd = dialOfListen(settings.authd.listen);
  const services = [...input.services].sort((a, b) => a.name.localeCompare(b.name));
  const endpoints = routableEndpoints(input, warnings);
  const forwarding = sessionForwarding(settings, services);
  const routes: CaddyRoute[] = [
    ...registryApiRoutes(input),
    originRoute(settings),
    ...forwarding.routes,
    {
      '@id': `${ROUTE_ID_PREFIX}resource-metadata`,
      match: pathMatch(RESOURCE_METADATA_PATH),
      handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: authd }] }],
      terminal: true,
    },
    {
      // A caller's own limits and what is left (authd reads the caller's token); before /mcpgw/*.
      '@id': `${ROUTE_ID_PREFIX}limits`,
      match: [{ path: [LIMITS_PATH] }],
      handle: [{ handler: 'rewrite', uri: AUTHD_PATH.limits }, { handler: 'reverse_proxy', upstreams: [{ dial: authd }] }],
      terminal: true,
    },
    ...registryRoutes(input),
    uiRoute(settings),
    ...services.flatMap((svc) => serviceRoutes(svc, input, endpoints, warnings)),
    {
      '@id': `${ROUTE_ID_PREFIX}unknown`,
      handle: [jsonResponse(404, { error: 'unknown_service', message: 'no MCP service is registered at this path; see mcpgw list' })],
      terminal: true,
    },
  ];
  if (settings.gateway.domain) routes.forEach((r) => (r.match = (r.match ?? [{}]).map((m) => ({ ...m, host: [settings.gateway.domain!] }))));
  const server: CaddyServer = {
    listen: [settings.gateway.listen],
    routes,
    // Errors raised inside Caddy (authd or upstream down → 502) also answer JSON.
    errors: {
      routes: [
        ...forwarding.errorRoutes,
        {
          handle: [
            {
              handler: 'static_response',
              status_code: '{http.error.status_code}',
              headers: { 'Content-Type': ['application/json'] },
              body: '{"error":"gateway_error","status":{http.error.status_code},"message":"{http.error.status_text}"}',
            },
          ],
        },
      ],
    },
    ...serverTls(settings),
    ...(accessLogged(input) ? { logs: serverAccessLogs() } : {}),
  };
  const config: CaddyConfig = { ...(input.owner ? { '@id': ownerTag(input.owner) } : {}), admin: adminSection(settings.caddy.admin), apps: { http: { servers: { [SERVER_NAME]: server } } } };
  const logging = caddyLogging(settings, accessLogged(input) ? input.stateDir : undefined);
  if (logging) config.logging = logging;
  if (settings.gateway.tls) {
    config.apps.tls = { certificates: { load_files: [{ certificate: settings.gateway.tls.cert, key: settings.gateway.tls.key }] } };
  }
  return { config: withVersionFeatures(config, input.caddyVersion), warnings };
}
