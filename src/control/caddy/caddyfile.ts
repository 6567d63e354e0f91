// `mcpgw render --caddyfile`: the same routes as the JSON render, written as Caddyfile
// directives into Caddyfile.tmpl, for teams that run Caddy from a file. Converting the
// rendered JSON (rather than rendering twice) keeps the two from drifting apart.
import type { Settings } from '../../core/config/settings.js';
import type { CaddyConfig, CaddyHandler, CaddyMatcher, CaddyRoute } from './caddy-json.js';
import { SERVER_NAME } from './caddy-json.js';
import { ACCESS_LOGGER, quietLoggers } from './access-log.js';
import { McpgwError } from '../../core/errors.js';
import { MCPGW_HEADER } from '../../core/wire/contract.js';
import { isStreamOpenReport } from './proxy-chain.js';

const TAB = '\t';

/** The team's Caddyfile.tmpl cannot hold what the routes need; the hint says what to add. */
export class CaddyfileTemplateError extends McpgwError {
  constructor(message: string, hint: string) {
    super('ERR_CADDYFILE_TEMPLATE', message, 'invalid-input', { hint });
  }
}

/** Quote a Caddyfile token when it holds spaces or quotes (backticks keep JSON bodies readable). */
function token(text: string): string {
  if (text !== '' && !/[\s"`{}]/.test(text.replace(/\{[a-z][\w.-]*\}/gi, ''))) return text;
  if (!text.includes('`')) return `\`${text}\``;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function block(head: string, lines: string[]): string[] {
  return lines.length ? [`${head} {`, ...lines.map((l) => TAB + l), '}'] : [head];
}

function matcherLines(m: CaddyMatcher): string[] {
  const lines: string[] = [];
  if (Array.isArray(m.path)) lines.push(`path ${(m.path as string[]).join(' ')}`);
  if (Array.isArray(m.method)) lines.push(`method ${(m.method as string[]).join(' ')}`);
  const header = m.header as Record<string, string[]> | undefined;
  // One value per line in the Caddyfile; `not` of several values becomes one `not` each.
  for (const [name, values] of Object.entries(header ?? {})) lines.push(...values.map((v) => `header ${name} ${token(v)}`));
  const regexps = (kind: string, entries: unknown) =>
    Object.entries((entries as Record<string, { name?: string; pattern: string }> | undefined) ?? {}).map(([key, re]) => `${kind} ${re.name ? `${re.name} ` : ''}${key} ${token(re.pattern)}`);
  lines.push(...regexps('header_regexp', m.header_regexp), ...regexps('vars_regexp', m.vars_regexp));
  for (const [key, values] of Object.entries((m.vars as Record<string, string[]> | undefined) ?? {})) lines.push(`vars ${key} ${values.map(token).join(' ')}`);
  for (const not of (m.not as CaddyMatcher[] | undefined) ?? []) lines.push(...matcherLines(not).map((l) => `not ${l}`));
  return lines;
}

/** A copy_headers token: `Name`, or `From>To` for authd's header copied under another name (the upstream credential → Authorization). */
function copiedHeader([to, values]: [string, string[]]): string {
  const from = /^\{http\.reverse_proxy\.header\.([^}]+)\}$/.exec(values[0] ?? '')?.[1] ?? to;
  return from === to ? to : `${from}>${to}`;
}

function forwardAuth(h: CaddyHandler): string[] {
  const upstreams = (h.upstreams as { dial: string }[]).map((u) => u.dial).join(' ');
  const { set, replace } = (h.headers as { request: { set: Record<string, string[]>; replace?: Record<string, { search_regexp: string; replace: string }[]> } }).request;
  // auth: none routes copy nothing (their 2xx route only deletes identity headers, which the
  // route's request_header lines have already removed), so they get no copy_headers line.
  const copied = ((h.handle_response as { routes: { handle: { request: { set?: Record<string, unknown> } }[] }[] }[])[0]!.routes[0]!.handle[0]!.request.set);
  return block(`forward_auth ${upstreams}`, [
    `uri ${(h.rewrite as { uri: string }).uri}`,
    ...(copied ? [`copy_headers ${Object.entries(copied as Record<string, string[]>).map(copiedHeader).join(' ')}`] : []),
    // forward_auth sets X-Forwarded-Method and X-Forwarded-Uri itself.
    // The stream-open report has no Caddyfile form (see reverseProxy): the route does not claim it.
    ...Object.entries(set).filter(([k]) => !k.startsWith('X-Forwarded-') && k !== MCPGW_HEADER.streamReport).map(([k, v]) => `header_up ${k} ${token(v[0]!)}`),
    // Three arguments: a regular-expression replace, run after the sets (as in the JSON).
    ...Object.entries(replace ?? {}).flatMap(([k, ops]) => ops.map((op) => `header_up ${k} ${token(op.search_regexp)} ${token(op.replace)}`)),
  ]);
}

/** proxy-chain's challengeRelay: on the upstream's 401/403, ask authd's /challenge what to answer. */
function challengeRelayLines(relay: Record<string, unknown>): string[] {
  const { status_code: statuses, headers } = relay.match as { status_code: number[]; headers?: Record<string, string[]> };
  const inner = (relay.routes as { handle: CaddyHandler[] }[])[0]!.handle[0]!;
  const { set, delete: deleted } = (inner.headers as { request: { set: Record<string, string[]>; delete?: string[] } }).request;
  const rewrite = inner.rewrite as { method: string; uri: string };
  const proxy = block(`reverse_proxy ${(inner.upstreams as { dial: string }[]).map((u) => u.dial).join(' ')}`, [
    `method ${rewrite.method}`,
    `rewrite ${rewrite.uri}`,
    ...Object.entries(set).map(([k, v]) => `header_up ${k} ${token(v[0]!)}`),
    ...(deleted ?? []).map((k) => `header_up -${k}`),
  ]);
  const matcher = [`status ${statuses.join(' ')}`, ...Object.entries(headers ?? {}).map(([k, v]) => `header ${k} ${v.join(' ')}`)];
  return [...block('@upstream_refused', matcher), ...block('handle_response @upstream_refused', proxy)];
}

function reverseProxy(h: CaddyHandler): string[] {
  const upstreams = (h.upstreams as { dial: string }[]).map((u) => u.dial).join(' ');
  const lines: string[] = [];
  if (h.flush_interval !== undefined) lines.push(`flush_interval ${h.flush_interval}`);
  const request = (h.headers as { request?: { delete?: string[]; set?: Record<string, string[]> } } | undefined)?.request;
  for (const name of request?.delete ?? []) lines.push(`header_up -${name}`);
  for (const [name, [value]] of Object.entries(request?.set ?? {})) lines.push(`header_up ${name} ${token(value!)}`);
  const response = (h.headers as { response?: { set?: Record<string, string[]>; delete?: string[] } } | undefined)?.response;
  for (const [name, [value]] of Object.entries(response?.set ?? {})) lines.push(`header_down ${name} ${token(value!)}`);
  for (const name of response?.delete ?? []) lines.push(`header_down -${name}`);
  // The stream-open report needs a subroute's error routes (proxy-chain), which Caddy 2.6's
  // Caddyfile cannot express: the file proxies GETs without it, and its forward_auth does not
  // claim it, so authd holds calls a grace behind a GET instead.
  for (const relay of (h.handle_response as Record<string, unknown>[] | undefined) ?? []) if (!isStreamOpenReport(relay)) lines.push(...challengeRelayLines(relay));
  const lb = h.load_balancing as { selection_policy: { policy: string }; try_duration: string } | undefined;
  if (lb) lines.push(`lb_policy ${lb.selection_policy.policy}`, `lb_try_duration ${lb.try_duration}`);
  const passive = (h.health_checks as { passive?: { fail_duration: string; max_fails: number; unhealthy_status: number[] } } | undefined)?.passive;
  if (passive) lines.push(`fail_duration ${passive.fail_duration}`, `max_fails ${passive.max_fails}`, `unhealthy_status ${passive.unhealthy_status.join(' ')}`);
  const t = h.transport as Record<string, unknown> | undefined;
  if (t) {
    const tl: string[] = [];
    if (t.dial_timeout) tl.push(`dial_timeout ${t.dial_timeout}`);
    if (t.response_header_timeout) tl.push(`response_header_timeout ${t.response_header_timeout}`);
    if (t.max_conns_per_host) tl.push(`max_conns_per_host ${t.max_conns_per_host}`);
    if (t.tls) tl.push('tls');
    lines.push(...block('transport http', tl));
  }
  return block(`reverse_proxy ${upstreams}`, lines);
}

function handlerLines(h: CaddyHandler): string[] {
  switch (h.handler) {
    case 'request_body':
      return block('request_body', [`max_size ${h.max_size}`]);
    case 'headers': {
      const { request, response } = h as { request?: { delete?: string[]; set?: Record<string, string[]> }; response?: { set?: Record<string, string[]> } };
      return [
        ...(request?.delete ?? []).map((name) => `request_header -${name}`),
        ...Object.entries(request?.set ?? {}).map(([name, values]) => `request_header ${name} ${token(values.join(', '))}`),
        ...Object.entries(response?.set ?? {}).map(([name, values]) => `header ${name} ${token(values.join(', '))}`),
      ];
    }
    case 'vars':
      return Object.entries(h).filter(([key]) => key !== 'handler').map(([key, value]) => `vars ${key} ${token(String(value))}`);
    case 'rewrite':
      if (h.strip_path_prefix) return [`uri strip_prefix ${h.strip_path_prefix}`];
      return [`rewrite * ${h.uri}`];
    case 'static_response': {
      const headers = Object.entries((h.headers as Record<string, string[]>) ?? {}).map(([k, v]) => `header ${k} ${token(v.join(', '))}`);
      return [...headers, `respond ${token(String(h.body ?? ''))} ${h.status_code}`];
    }
    case 'reverse_proxy':
      return (h.rewrite as { uri?: string } | undefined)?.uri ? forwardAuth(h) : reverseProxy(h);
    case 'map':
      return block(`map ${h.source} ${(h.destinations as string[]).join(' ')}`, [`default ${(h.defaults as string[]).join(' ')}`]);
    default:
      throw new Error(`render --caddyfile: no Caddyfile form for handler "${h.handler}"`);
  }
}

function routeLines(route: CaddyRoute, index: number): string[] {
  const name = route['@id'] ?? `route-${index}`;
  const matchers = (route.match ?? []).flatMap(matcherLines);
  const body = route.handle.flatMap(handlerLines);
  if (!matchers.length) return ['', `# ${name}`, ...block('route', body)];
  const matcher = matchers.length === 1 ? [`@${name} ${matchers[0]}`] : block(`@${name}`, matchers);
  return ['', `# ${name}`, ...matcher, ...block(`route @${name}`, body)];
}

function siteAddress(settings: Settings): { address: string; options: string[] } {
  if (settings.gateway.domain) return { address: settings.gateway.domain, options: settings.gateway.tls ? [`tls ${settings.gateway.tls.cert} ${settings.gateway.tls.key}`] : [] };
  const listen = settings.gateway.listen;
  const i = listen.lastIndexOf(':');
  // Caddy's own reading of ":port" is every interface, so no bind line then (not the daemons' loopback default).
  const host = listen.slice(0, i).replace(/^\[|\]$/g, '');
  const options = host ? [`bind ${host}`] : [];
  if (settings.gateway.tls) options.push(`tls ${settings.gateway.tls.cert} ${settings.gateway.tls.key}`);
  return { address: `${settings.gateway.tls ? 'https' : 'http'}://:${listen.slice(i + 1)}`, options };
}

/** The site's `log` directive for the access logger of the JSON render (its file, roll and field filter). */
function accessLogLines(config: CaddyConfig): string[] {
  type Logger = { writer: { filename: string; roll_size_mb: number; roll_keep: number }; encoder: { fields: Record<string, unknown> } };
  const logger = (config.logging as { logs?: Record<string, Logger> } | undefined)?.logs?.[ACCESS_LOGGER];
  if (!logger) return [];
  return block('log', [
    ...block(`output file ${logger.writer.filename}`, [`roll_size ${logger.writer.roll_size_mb}MiB`, `roll_keep ${logger.writer.roll_keep}`]),
    ...block('format filter', ['wrap json', ...block('fields', Object.keys(logger.encoder.fields).map((f) => `${f} delete`))]),
  ]);
}

/** The error routes before the catch-all JSON answer (the template's handle_errors ends with that one). */
const ERROR_ROUTES = '{{error_routes}}';

/** `templateName`: where the template came from, for the error when it cannot hold the error routes. */
export function renderCaddyfile(template: string, config: CaddyConfig, settings: Settings, templateName = 'Caddyfile.tmpl'): string {
  const server = config.apps.http.servers[SERVER_NAME]!;
  const routes = server.routes;
  // The last error route is the catch-all the template writes itself.
  const errorRoutes = (server.errors?.routes ?? []).slice(0, -1);
  if (errorRoutes.length && !template.includes(ERROR_ROUTES)) {
    const line = template.split('\n').findIndex((l) => l.includes('handle_errors')) + 1;
    throw new CaddyfileTemplateError(
      `${templateName}${line ? `:${line}` : ''}: the template has no ${ERROR_ROUTES} placeholder, and the routes need error routes (node.peers: a session whose node is gone answers 404 ERR_SESSION_NODE_GONE)`,
      `put a line ${ERROR_ROUTES} first inside handle_errors { … }, as the packaged Caddyfile.tmpl does`,
    );
  }
  const site = siteAddress(settings);
  const indent = (lines: string[]) => lines.map((l) => (l ? TAB + l : l)).join('\n');
  const values: Record<string, string> = {
    admin: config.admin.listen,
    global_options: indent([...(settings.gateway.domain ? [] : ['auto_https off']), ...(quietLoggers(settings).length ? block('log default', [`exclude ${quietLoggers(settings).join(' ')}`]) : [])]),
    site_address: site.address,
    site_options: indent([...site.options, ...accessLogLines(config)]),
    routes: indent(routes.flatMap(routeLines)),
  };
  // Inside handle_errors (two levels deep); its line goes away when there are none.
  const errorLines = indent(indent(errorRoutes.flatMap(routeLines).slice(1)).split('\n'));
  return template
    .replace(/^[ \t]*\{\{error_routes\}\}\n/m, errorLines ? `${errorLines}\n` : '')
    .replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}
