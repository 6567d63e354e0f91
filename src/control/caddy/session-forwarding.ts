// Sessions across nodes. A stdio server's process, and so its sessions, live on one node; the
// first request of a session (initialize, no id yet) reaches whichever node the front picked,
// so no front hashing can know where the later requests belong. The node therefore names
// itself in the ids it makes (`<node>.<uuid>`, stdio host) and every node forwards a request
// whose session another node owns to that node (node.peers). A gone owner answers 404 with a
// JSON-RPC error at once (MCP: 404 tells the client to initialize again), never a hang. Pure.
import { NODE_ID } from '../../core/config/node-identity.js';
import type { Settings } from '../../core/config/settings.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { MCP_HEADER, MCPGW_HEADER } from '../../core/wire/contract.js';
import type { CaddyHandler, CaddyMatcher, CaddyRoute } from './caddy-json.js';

const OWNER = 'mcpgw_owner';
const OWNER_PATTERN = `^(${NODE_ID.source.slice(1, -1)})\\.`;
/** A dead pod's address may not refuse but drop: give up on it quickly. */
const DIAL_TIMEOUT = '2s';

const escapeRegexp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function forwardTo(dial: string, nodeId: string, owner: string): CaddyHandler[] {
  return [
    { handler: 'vars', mcpgw_session_forward: 'yes', mcpgw_session_owner: owner },
    // A forwarded request is served where it lands: it is never forwarded a second time.
    { handler: 'headers', request: { set: { [MCPGW_HEADER.forwardedBy]: [nodeId] } } },
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
export function sessionForwarding(settings: Settings, services: readonly ServiceDefinition[], nodeId: string | undefined): SessionForwarding {
  const peers = settings.node.peers;
  const paths = services.filter((s) => s.transport === 'stdio').flatMap((s) => [s.path, `${s.path}/*`]);
  if (peers === undefined || nodeId === undefined || paths.length === 0) return { routes: [], errorRoutes: [] };
  const owned = (pattern: string): CaddyMatcher => ({
    path: paths,
    header_regexp: { [MCP_HEADER.sessionId]: { name: OWNER, pattern } },
    not: [{ header_regexp: { [MCP_HEADER.sessionId]: { pattern: `^${escapeRegexp(nodeId)}\\.` } } }, { header: { [MCPGW_HEADER.forwardedBy]: ['*'] } }],
  });
  const owner = `{http.regexp.${OWNER}.1}`;
  const routes: CaddyRoute[] = [];
  if (typeof peers === 'string') {
    routes.push({ '@id': 'mcpgw-session-forward', match: [owned(OWNER_PATTERN)], handle: forwardTo(peers.replace('{node}', owner), nodeId, owner), terminal: true });
  } else {
    for (const [peer, dial] of Object.entries(peers).sort(([a], [b]) => a.localeCompare(b))) {
      if (peer === nodeId) continue;
      routes.push({ '@id': `mcpgw-session-forward-${peer}`, match: [owned(`^${escapeRegexp(peer)}\\.`)], handle: forwardTo(dial, nodeId, peer), terminal: true });
    }
    // A node id no peer has (a node taken out of the list): its sessions are gone.
    routes.push({ '@id': 'mcpgw-session-unknown-node', match: [owned(OWNER_PATTERN)], handle: [sessionGone(owner)], terminal: true });
  }
  const errorRoutes: CaddyRoute[] = [{ match: [{ vars: { mcpgw_session_forward: ['yes'] } }], handle: [sessionGone('{http.vars.mcpgw_session_owner}')], terminal: true }];
  return { routes, errorRoutes };
}
