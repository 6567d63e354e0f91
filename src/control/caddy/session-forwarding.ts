// Sessions across nodes. A stdio server's process, and so its sessions, live on one node; the
// first request of a session (initialize, or legacy SSE's GET …/sse) reaches whichever node the
// front picked, so no front hashing can know where the later requests belong. The node therefore
// names itself in the ids it makes (`<node>.<uuid>`, stdio host) and every node forwards a
// request whose session another node owns to that node (node.peers): Streamable HTTP's
// Mcp-Session-Id header and legacy SSE's `?sessionId=` alike. A gone owner answers 404 with a
// JSON-RPC error at once (MCP: 404 tells the client to initialize again), never a hang.
//
// The routes are the same on every node: Caddy learns which node it is from its environment
// ($MCPGW_NODE_ID, which `up` sets), so `apply --dry-run` from anywhere, `--target` several
// nodes and one `render --caddyfile` for all of them compare and push one config. A Caddy
// started without it forwards its own sessions to itself — one hop more, still served. Pure.
import { NODE_ID, NODE_ID_ENV } from '../../core/config/node-identity.js';
import type { Settings } from '../../core/config/settings.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { MCP_HEADER, MCPGW_HEADER } from '../../core/wire/contract.js';
import type { CaddyHandler, CaddyMatcher, CaddyRoute } from './caddy-json.js';
import { READ_BODY_FIRST } from './proxy-chain.js';

const CAPTURE = 'mcpgw_owner';
const OWNER_VAR = 'mcpgw_session_owner';
const OWNER = `{http.vars.${OWNER_VAR}}`;
const NODE_LABEL = NODE_ID.source.slice(1, -1);
/** Legacy SSE (2024-11-05): the message POST names its session in the query (stdio host: …/messages?sessionId=). */
const SSE_SESSION = '{http.request.uri.query.sessionId}';
/** A dead pod's address may not refuse but drop: give up on it quickly. */
const DIAL_TIMEOUT = '2s';

/** The owner a session-carrying request names, kept in a variable for the routes below. */
function ownerRoute(id: string, paths: string[], session: CaddyMatcher): CaddyRoute {
  return {
    '@id': id,
    // A forwarded request is served where it lands: it is never forwarded a second time.
    match: [{ path: paths, ...session, not: [{ header: { [MCPGW_HEADER.forwardedBy]: ['*'] } }, ...((session.not as CaddyMatcher[] | undefined) ?? [])] }],
    handle: [{ handler: 'vars', [OWNER_VAR]: `{http.regexp.${CAPTURE}.1}` }],
  };
}

/** Another node's session: the owner variable is `owners` (or any node id) and not this node's. */
function othersSession(owners?: string[]): CaddyMatcher[] {
  const mine = { vars: { [OWNER_VAR]: [`{env.${NODE_ID_ENV}}`] } };
  return [{ ...(owners ? { vars: { [OWNER_VAR]: owners } } : { vars_regexp: { [OWNER_VAR]: { pattern: NODE_ID.source } } }), not: [mine] }];
}

function forwardTo(dial: string, maxBodyBytes: number): CaddyHandler[] {
  return [
    { handler: 'vars', mcpgw_session_forward: 'yes' },
    { handler: 'headers', request: { set: { [MCPGW_HEADER.forwardedBy]: ['{system.hostname}'] } } },
    // Read whole before it is sent on (proxy-chain: READ_BODY_FIRST), so bounded first; one byte
    // over the largest limit lets the owner's authd see a body was too long and answer 413.
    { handler: 'request_body', max_size: maxBodyBytes + 1 },
    READ_BODY_FIRST,
    { handler: 'reverse_proxy', upstreams: [{ dial }], flush_interval: -1, transport: { protocol: 'http', dial_timeout: DIAL_TIMEOUT } },
  ];
}

const goneBody = (owner: string) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id: null,
    error: { code: -32001, message: `Session not found: its gateway node ${owner} is gone — initialize a new session`, data: { code: 'ERR_SESSION_NODE_GONE', node: owner } },
  });

function sessionGone(owner: string): CaddyHandler {
  return { handler: 'static_response', status_code: 404, headers: { 'Content-Type': ['application/json'], 'Cache-Control': ['no-store'] }, body: goneBody(owner) };
}

export interface SessionForwarding {
  /** Before the service routes. */
  routes: CaddyRoute[];
  /** First in the server's error routes: a peer that cannot be reached. */
  errorRoutes: CaddyRoute[];
}

/** Routes that send another node's sessions of stdio services there; none for one node. */
export function sessionForwarding(settings: Settings, services: readonly ServiceDefinition[]): SessionForwarding {
  const peers = settings.node.peers;
  const stdio = services.filter((s) => s.transport === 'stdio');
  const paths = stdio.flatMap((s) => [s.path, `${s.path}/*`]);
  const maxBody = Math.max(0, ...stdio.map((s) => s.limits.max_body_bytes));
  if (peers === undefined || paths.length === 0) return { routes: [], errorRoutes: [] };
  const named = { name: CAPTURE, pattern: `^(${NODE_LABEL})\\.` };
  const routes: CaddyRoute[] = [
    ownerRoute('mcpgw-session-owner', paths, { header_regexp: { [MCP_HEADER.sessionId]: named } }),
    ownerRoute('mcpgw-session-owner-sse', paths, { vars_regexp: { [SSE_SESSION]: named }, not: [{ header: { [MCP_HEADER.sessionId]: ['*'] } }] }),
  ];
  if (typeof peers === 'string') {
    routes.push({ '@id': 'mcpgw-session-forward', match: othersSession(), handle: forwardTo(peers.replace('{node}', OWNER), maxBody), terminal: true });
  } else {
    for (const [peer, dial] of Object.entries(peers).sort(([a], [b]) => a.localeCompare(b))) {
      routes.push({ '@id': `mcpgw-session-forward-${peer}`, match: othersSession([peer]), handle: forwardTo(dial, maxBody), terminal: true });
    }
    // A node id no peer has (a node taken out of the list): its sessions are gone.
    routes.push({ '@id': 'mcpgw-session-unknown-node', match: othersSession(), handle: [sessionGone(OWNER)], terminal: true });
  }
  const errorRoutes: CaddyRoute[] = [{ '@id': 'mcpgw-session-node-gone', match: [{ vars: { mcpgw_session_forward: ['yes'] } }], handle: [sessionGone(OWNER)], terminal: true }];
  return { routes, errorRoutes };
}
