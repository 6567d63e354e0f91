// The routes of <gateway>/v0.1 (the MCP Registry API, served by the registry server): CORS for
// IDE and browser clients, GET only, the caller's identity from authd — and in public mode,
// requests without a token go straight to the registry server, which serves them as the
// public group. They come before the Origin check: reads need a bearer token (never a cookie),
// so another origin learns nothing it could not ask for itself.
import type { CaddyRoute, CaddyHandler } from './caddy-json.js';
import { dialOfListen, jsonResponse, proxyChain } from './proxy-chain.js';
import { AUTHD_ONLY_HEADERS, REGISTRY_API_PATH } from '../../core/wire/contract.js';
import { REGISTRY_SERVER } from '../../core/policy/policy.js';
import type { RenderInput } from './render.js';

/** `*`: a token in Authorization is needed for anything private, and browsers never add one on their own. */
export const REGISTRY_API_CORS: Readonly<Record<string, string[]>> = {
  'Access-Control-Allow-Origin': ['*'],
  'Access-Control-Allow-Methods': ['GET, HEAD, OPTIONS'],
  'Access-Control-Allow-Headers': ['Authorization, Content-Type, Accept'],
  'Access-Control-Expose-Headers': ['WWW-Authenticate'],
  'Access-Control-Max-Age': ['86400'],
};

const apiPaths = [REGISTRY_API_PATH, `${REGISTRY_API_PATH}/*`];
const cors: CaddyHandler = { handler: 'headers', response: { set: { ...REGISTRY_API_CORS } } };

export function registryApiRoutes(input: RenderInput): CaddyRoute[] {
  const { settings } = input;
  const registry = { dial: dialOfListen(settings.registry_server.listen), tls: false };
  const id = 'mcpgw-registry-api';
  const routes: CaddyRoute[] = [
    { '@id': `${id}-preflight`, match: [{ path: apiPaths, method: ['OPTIONS'] }], handle: [cors, { handler: 'static_response', status_code: 204 }], terminal: true },
    {
      '@id': `${id}-read-only`,
      match: [{ path: apiPaths, not: [{ method: ['GET', 'HEAD'] }] }],
      handle: [cors, { ...jsonResponse(405, { error: 'the registry API is read-only here: GET only' }), headers: { 'Content-Type': ['application/json'], Allow: ['GET, HEAD, OPTIONS'] } }],
      terminal: true,
    },
  ];
  if (settings.registry_api.public) {
    routes.push({
      '@id': `${id}-public`,
      match: [{ path: apiPaths, not: [{ header: { Authorization: ['*'] } }] }],
      handle: [cors, { handler: 'headers', request: { delete: [...AUTHD_ONLY_HEADERS] } }, { handler: 'reverse_proxy', upstreams: [{ dial: registry.dial }] }],
      terminal: true,
    });
  }
  const chain = proxyChain({
    service: REGISTRY_SERVER,
    copyIdentity: true,
    authd: dialOfListen(settings.authd.listen),
    passAuthorization: false,
    headers: {},
    upstreams: [registry],
    maxBodyBytes: 1024 * 1024,
  });
  // authd refuses foreign Origins for MCP routes (DNS rebinding); these reads carry a token instead.
  const noOrigin: CaddyHandler = { handler: 'headers', request: { delete: ['Origin'] } };
  routes.push({ '@id': id, match: [{ path: apiPaths }], handle: [cors, noOrigin, ...chain], terminal: true });
  return routes;
}
