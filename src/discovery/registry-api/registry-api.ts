// GET <gateway>/v0.1/…: the MCP Registry API over registry.d, served by the registry server
// behind Caddy. Who sees what is the registry service's one visibility rule; without a token
// (public mode only, registry_api.public) the caller is the group registry_api.public_group.
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegistryService } from '../../control/registry/registry-service.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { publicUrl } from '../../core/config/settings.js';
import type { Caller } from '../../core/identity/caller.js';
import { errorBody, httpStatusOf, isMcpgwError } from '../../core/errors.js';
import { sendJson } from '../../core/http/http-messages.js';
import { headerKey, IDENTITY_HEADER, REGISTRY_API_PATH } from '../../core/wire/contract.js';
import { callerFromHeaders } from '../registry-server/caller.js';
import { defaultNamespace, serverDocument, type ServedServer } from './server-document.js';
import { listServers, RegistryQueryError, type ListQuery } from './server-listing.js';

/** The caller of a token-less request in public mode: whatever scopes.yml grants this group. */
export function publicCaller(group: string): Caller {
  return { kind: 'agent', subject: 'anonymous', groups: [group], scopes: [] };
}

/** Every service the caller may see (the registry service's rule), as the API serves it. */
export async function servedServers(registry: RegistryService, caller: Caller): Promise<ServedServer[]> {
  const { project } = registry;
  const base = publicUrl(project.settings);
  const namespace = project.settings.registry_api.namespace ?? defaultNamespace(base);
  const services = registry.visibleServices(caller);
  return Promise.all(services.map(async (svc) => serverDocument(svc, { publicUrl: base, namespace, updatedAt: await updatedAt(project.paths.root, svc) })));
}

/** When the definition last changed: its file's modification time. */
async function updatedAt(root: string, svc: ServiceDefinition): Promise<string> {
  try {
    const file = isAbsolute(svc.file) ? svc.file : join(root, svc.file);
    return (await stat(file)).mtime.toISOString();
  } catch {
    return new Date(0).toISOString();
  }
}

function callerOf(registry: RegistryService, req: IncomingMessage): Caller | undefined {
  if (req.headers[headerKey(IDENTITY_HEADER)] !== undefined) return callerFromHeaders(req.headers);
  const { registry_api: api } = registry.project.settings;
  return api.public ? publicCaller(api.public_group) : undefined;
}

function notFound(res: ServerResponse, what: string): void {
  sendJson(res, 404, { error: `${what} not found` });
}

/** Answer one request under /v0.1 (the caller's identity as authd forwarded it). */
export async function handleRegistryApi(registry: RegistryService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'the registry API is read-only here: GET only' }, { allow: 'GET, HEAD, OPTIONS' });
  const raw = (req.url ?? '/').split('?')[0]!;
  const url = new URL(req.url ?? '/', 'http://registry');
  let caller: Caller | undefined;
  try {
    caller = callerOf(registry, req);
  } catch (err) {
    if (!isMcpgwError(err)) throw err;
    return sendJson(res, httpStatusOf(err.kind), errorBody(err));
  }
  if (!caller) return sendJson(res, 401, { error: 'authentication required: present a bearer token for this gateway (registry_api.public is off)' });
  try {
    if (raw === `${REGISTRY_API_PATH}/servers`) {
      const query = Object.fromEntries(['cursor', 'limit', 'search', 'updated_since', 'version'].map((k) => [k, url.searchParams.get(k) ?? undefined])) as ListQuery;
      return sendJson(res, 200, listServers(await servedServers(registry, caller), query));
    }
    // The name holds a slash, sent as %2F: match on the raw path, then decode.
    const m = /^\/v0\.1\/servers\/(.+?)\/versions(?:\/([^/]+))?$/.exec(raw);
    if (!m) return sendJson(res, 404, { error: `no such endpoint: ${REGISTRY_API_PATH} serves /servers and /servers/{name}/versions[/{version}|/latest]` });
    const name = decodeURIComponent(m[1]!);
    const entry = (await servedServers(registry, caller)).find((s) => s.server.name === name);
    // Hidden services do not exist for this caller: the same 404 as a name nobody registered.
    if (!entry) return notFound(res, 'Server');
    if (m[2] === undefined) return sendJson(res, 200, { servers: [entry], metadata: { count: 1 } });
    const version = decodeURIComponent(m[2]);
    if (version !== 'latest' && version !== entry.server.version) return notFound(res, 'Server version');
    return sendJson(res, 200, entry);
  } catch (err) {
    if (err instanceof RegistryQueryError) return sendJson(res, 400, errorBody(err));
    if (err instanceof URIError) return sendJson(res, 400, { error: 'the server name or version is not valid percent-encoding' });
    throw err;
  }
}
