// Render is pure: these tables pin the route anatomy users and authd rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadProject } from '../../../src/core/config/project.js';
import { renderCaddyConfig, renderInputOf } from '../../../src/control/caddy/render.js';
import { configAnatomy, type RouteAnatomy } from '../../../src/control/caddy/route-anatomy.js';
import { planRoutes } from '../../../src/control/caddy/route-plan.js';
import { endpointPathOf } from '../../../src/control/caddy/sse-endpoint.js';
import type { CaddyHandler } from '../../../src/control/caddy/caddy-json.js';
import { REPO_ROOT } from '../../../testkit/cli.js';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'gateway');

async function rendered(extras = {}) {
  const project = await loadProject(FIXTURE);
  return { project, ...renderCaddyConfig(renderInputOf(project, extras)) };
}

function route(routes: RouteAnatomy[], match: string): RouteAnatomy {
  const r = routes.find((x) => x.match === match);
  assert.ok(r, `a route matching ${match}; have ${routes.map((x) => x.match).join(', ')}`);
  return r;
}

test('an auth: required service asks authd at /verify for that service, strips its prefix and streams unbuffered', async () => {
  const { config } = await rendered();
  const weather = route(configAnatomy(config), '/weather /weather/*');
  assert.deepEqual(weather.auth, { authd: '127.0.0.1:18081', uri: '/verify', service: 'weather', copies: { 'X-Mcpgw-Identity': 'X-Mcpgw-Identity' } });
  assert.equal(weather.rewrite.stripPrefix, '/weather');
  assert.deepEqual(weather.upstreams, ['127.0.0.1:9000']);
  assert.equal(weather.flushInterval, -1);
  assert.equal(weather.maxBodyBytes, 4 * 1024 * 1024);
});

test('the authd subrequest carries the body, service and original method/URI, and copies identity headers back on 2xx', async () => {
  const { config } = await rendered();
  const handlers = config.apps.http.servers.mcpgw!.routes.find((r) => r['@id'] === 'mcpgw-service-weather')!.handle;
  const names = handlers.map((h) => h.handler);
  assert.deepEqual(names, ['request_body', 'headers', 'reverse_proxy', 'rewrite', 'map', 'reverse_proxy'], 'order: limit, drop identity, auth, strip, request id for the access log, proxy');
  assert.deepEqual((handlers[1]!.request as { delete: string[] }).delete, ['X-Mcpgw*', 'X_mcpgw*', 'X-User', 'X_user', 'X-Groups', 'X_groups', 'X-Scopes', 'X_scopes']);
  const auth = handlers[2] as CaddyHandler & { headers: { request: { set: Record<string, string[]> } }; handle_response: { match: unknown; routes: { handle: { request: { set: Record<string, string[]> } }[] }[] }[] };
  assert.deepEqual(auth.rewrite, { method: 'GET', uri: '/verify' });
  assert.deepEqual(auth.headers.request.set, {
    'X-Mcpgw-Service': ['weather'],
    'X-Mcpgw-Body': ['{http.request.body}'],
    'X-Mcpgw-Request-Id': ['{http.request.uuid}'],
    'X-Forwarded-Method': ['{http.request.method}'],
    'X-Forwarded-Uri': ['{http.request.uri}'],
    'X-Mcpgw-Stream-Report': ['1'],
  });
  assert.deepEqual(auth.handle_response[0]!.match, { status_code: [2] });
  assert.deepEqual(Object.keys(auth.handle_response[0]!.routes[0]!.handle[0]!.request.set), ['X-Mcpgw-Identity']);
});

test('upstream_auth token_exchange: authd\'s per-caller token replaces the client\'s Authorization on 2xx', async () => {
  const { config } = await rendered();
  const jira = route(configAnatomy(config), '/jira /jira/*');
  assert.deepEqual(jira.auth?.copies, { 'X-Mcpgw-Identity': 'X-Mcpgw-Identity', Authorization: 'X-Mcpgw-Upstream-Authorization' });
  assert.equal(jira.dropsAuthorization, false, 'deleting it after the copy would drop the exchanged token');
  assert.equal(jira.upstreamHeaders, undefined);
  assert.equal(jira.relaysChallengesTo, '/challenge', 'its 401/403 become authd\'s JSON-RPC answer');
});

test('upstream credentials come from the definition as {env.X} placeholders, never the client token', async () => {
  const { config } = await rendered();
  const weather = route(configAnatomy(config), '/weather /weather/*');
  assert.deepEqual(weather.upstreamHeaders, { Authorization: 'Bearer {env.WEATHER_TOKEN}', 'X-Team': 'forecasts' });
  const registry = route(configAnatomy(config), '/mcpgw /mcpgw/*');
  assert.equal(registry.dropsAuthorization, false, 'the registry server (part of the gateway) gets the caller token for call_tool through the gateway');
  const memory = route(configAnatomy(config), '/memory /memory/*');
  assert.equal(memory.dropsAuthorization, true, 'the client Authorization is dropped when no header replaces it');
  assert.ok(!JSON.stringify(config).includes('${env:'), 'no unresolved mcpgw references reach Caddy');
});

test('pass_authorization: true keeps the client Authorization header; several upstreams fail over with passive health checks', async () => {
  const { config } = await rendered();
  const gh = route(configAnatomy(config), '/gh /gh/*');
  assert.equal(gh.dropsAuthorization, false);
  assert.deepEqual(gh.upstreams, ['mcp-a.example.com:443', 'mcp-b.example.com:8443']);
  const proxy = config.apps.http.servers.mcpgw!.routes.find((r) => r['@id'] === 'mcpgw-service-github')!.handle.at(-1)!;
  assert.deepEqual(proxy.load_balancing, { selection_policy: { policy: 'first' }, try_duration: '5s' });
  assert.ok((proxy.health_checks as { passive: unknown }).passive);
  assert.deepEqual((proxy.transport as { tls: unknown }).tls, {}, 'https upstreams use TLS');
});

test('a stdio service goes to the stdio host as /<name>/<rest>; auth: none still asks authd (enabled, health gate) but copies no identity, and warns', async () => {
  const { config, warnings } = await rendered();
  const memory = route(configAnatomy(config), '/memory /memory/*');
  assert.deepEqual(memory.auth, { authd: '127.0.0.1:18081', uri: '/verify', service: 'memory' });
  assert.deepEqual(memory.upstreams, ['127.0.0.1:18083']);
  assert.deepEqual(memory.rewrite, { stripPrefix: '/memory', uri: '/memory{http.request.uri.path}' });
  const auth = config.apps.http.servers.mcpgw!.routes.find((r) => r['@id'] === 'mcpgw-service-memory')!.handle[2] as CaddyHandler & { handle_response: { routes: { handle: CaddyHandler[] }[] }[] };
  assert.deepEqual(auth.handle_response[0]!.routes[0]!.handle[0], { handler: 'headers', request: { delete: ['X-Mcpgw-Identity'] } });
  assert.ok(warnings.some((w) => w.startsWith('memory: auth: none')));
});

test('a disabled service keeps its normal route (authd refuses it per request); an unknown path answers a JSON 404', async () => {
  const { config } = await rendered();
  const routes = configAnatomy(config);
  const legacy = route(routes, '/legacy /legacy/*');
  assert.equal(legacy.respond, undefined);
  assert.equal(legacy.auth?.service, 'legacy');
  assert.deepEqual(legacy.upstreams, ['127.0.0.1:9100']);
  const fallback = routes.at(-1)!;
  assert.equal(fallback.match, '(fallback)');
  assert.equal(JSON.parse(fallback.respond!.body).error, 'unknown_service');
});

test('enabled: false and health do not change the Caddy config, so enable/disable never reload Caddy', async () => {
  const project = await loadProject(FIXTURE);
  const flipped = { ...project, services: project.services.map((s) => ({ ...s, enabled: !s.enabled })) };
  assert.equal(planRoutes(renderCaddyConfig(renderInputOf(project)).config, renderCaddyConfig(renderInputOf(flipped)).config).inSync, true);
});

test('browsers from other origins get 403 before any route but the read-only registry API; the gateway origin and allowed_origins pass', async () => {
  const { config } = await rendered();
  const routes = config.apps.http.servers.mcpgw!.routes;
  const at = routes.findIndex((r) => r['@id'] === 'mcpgw-origin-check');
  assert.ok(routes.slice(0, at).every((r) => String(r['@id']).startsWith('mcpgw-registry-api')), 'only /v0.1 (bearer tokens, no cookies) comes before the Origin check');
  const first = routes[at]!;
  assert.deepEqual(first.match, [{ header: { Origin: ['*'] }, not: [{ header: { Origin: ['http://127.0.0.1:18080', 'https://app.example.com'] } }] }]);
  assert.equal(first.handle[0]!.status_code, 403);
});

test('the registry MCP server is at /mcpgw behind authd, and RFC 9728 metadata goes to authd without auth', async () => {
  const { config } = await rendered();
  const routes = configAnatomy(config);
  const registry = route(routes, '/mcpgw /mcpgw/*');
  assert.equal(registry.auth?.service, 'mcpgw');
  assert.deepEqual(registry.upstreams, ['127.0.0.1:18082']);
  const metadata = route(routes, '/.well-known/oauth-protected-resource /.well-known/oauth-protected-resource/*');
  assert.equal(metadata.auth, undefined);
  assert.deepEqual(metadata.upstreams, ['127.0.0.1:18081']);
});

test('an SSE endpoint outside the service prefix gets its own unstripped route to the same upstream', async () => {
  const { config } = await rendered({ sseEndpoints: { github: '/message' } });
  const endpoint = route(configAnatomy(config), '/message');
  assert.equal(endpoint.rewrite.stripPrefix, undefined);
  assert.deepEqual(endpoint.upstreams, ['mcp-a.example.com:443', 'mcp-b.example.com:8443']);
  assert.equal(endpoint.auth?.service, 'github');
  assert.equal(endpointPathOf('event: endpoint\ndata: /message?sessionId=abc\n\n'), '/message');
  assert.equal(endpointPathOf('event: endpoint\ndata: messages?sessionId=abc\n\n'), undefined, 'relative endpoints resolve inside the prefix already');
});

test('Caddy never autosaves configs and the admin API stays where mcpgw.yaml puts it', async () => {
  const { config } = await rendered();
  assert.deepEqual(config.admin, { listen: '127.0.0.1:12019', config: { persist: false } });
  assert.deepEqual(config.apps.http.servers.mcpgw!.listen, ['127.0.0.1:18080']);
});

test('the plan names routes added, changed and removed, and is in sync for an identical config', async () => {
  const { config } = await rendered();
  assert.equal(planRoutes(config, structuredClone(config)).inSync, true);
  const next = structuredClone(config);
  const routes = next.apps.http.servers.mcpgw!.routes;
  routes.splice(routes.findIndex((r) => r['@id'] === 'mcpgw-service-memory'), 1);
  routes.find((r) => r['@id'] === 'mcpgw-service-weather')!.handle[0]!.max_size = 1;
  routes.splice(1, 0, { '@id': 'mcpgw-service-new', handle: [] });
  const plan = planRoutes(config, next);
  assert.deepEqual({ added: plan.added, changed: plan.changed, removed: plan.removed }, { added: ['mcpgw-service-new'], changed: ['mcpgw-service-weather'], removed: ['mcpgw-service-memory'] });
  assert.equal(planRoutes(null, config).added.length, config.apps.http.servers.mcpgw!.routes.length, 'against an empty Caddy every route is new');
});

test('a service that checks Mcp-* headers itself gets a header-only route for 2026-07-28 requests: authd decides without a body copy', async () => {
  const { project } = await rendered();
  const weather = project.services.find((s) => s.name === 'weather')!;
  const input = { ...renderInputOf(project), services: [{ ...weather, checks_mcp_headers: true }] };
  const routes = renderCaddyConfig(input).config.apps.http.servers.mcpgw!.routes;
  const ids = routes.map((r) => r['@id']);
  assert.ok(ids.indexOf('mcpgw-service-weather-header-only') < ids.indexOf('mcpgw-service-weather'), 'the header-only route is tried first');
  const headerOnly = routes.find((r) => r['@id'] === 'mcpgw-service-weather-header-only')!;
  assert.deepEqual(headerOnly.match![0]!.header, { 'Mcp-Protocol-Version': ['2026-07-28'], 'Mcp-Method': ['*'] });
  const authSet = (r: typeof headerOnly) => ((r.handle.find((h) => (h as { rewrite?: { uri?: string } }).rewrite?.uri === '/verify') as unknown as { headers: { request: { set: Record<string, unknown> } } }).headers.request.set);
  assert.equal(authSet(headerOnly)['X-Mcpgw-Body'], undefined, 'no body copy on the header-only path');
  assert.deepEqual(authSet(routes.find((r) => r['@id'] === 'mcpgw-service-weather')!)['X-Mcpgw-Body'], ['{http.request.body}'], 'other requests keep the body check');
  const plain = renderCaddyConfig({ ...renderInputOf(project), services: [weather] }).config.apps.http.servers.mcpgw!.routes;
  assert.ok(!plain.some((r) => r['@id'] === 'mcpgw-service-weather-header-only'), 'an upstream not known to check headers keeps the body check for every version');
});

test('an upstream URL\'s query string is put before the client\'s query', async () => {
  const { project } = await rendered();
  const weather = project.services.find((s) => s.name === 'weather')!;
  const routes = renderCaddyConfig({ ...renderInputOf(project), services: [{ ...weather, upstreams: ['http://127.0.0.1:9000/mcp?profile=free'] }] }).config.apps.http.servers.mcpgw!.routes;
  const handle = routes.find((r) => r['@id'] === 'mcpgw-service-weather')!.handle;
  assert.ok(handle.some((h) => h.handler === 'rewrite' && h.uri === '{http.request.uri.path}?profile=free&{http.request.uri.query}'));
});
