// A registry.d service as the MCP Registry API serves it: a server.json document (2025-12-11
// schema) whose remote is the gateway, wrapped with registry metadata. Pure: data in, data out.
import { canonicalJson } from '../../core/config/canonical-json.js';
import { createHash } from 'node:crypto';
import type { ServiceDefinition } from '../../core/config/service.js';
import { gatewayEndpoint } from '../../core/config/service-summary.js';
import { REGISTRY_META } from '../../core/wire/contract.js';

export const SERVER_SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
export const OFFICIAL_META = REGISTRY_META.official;
export const PUBLISHER_META = REGISTRY_META.publisher;
export const MCPGW_META = REGISTRY_META.mcpgw;

const DESCRIPTION_MAX = 100;

export interface ServerDocumentContext {
  /** The gateway's public URL (no trailing slash). */
  publicUrl: string;
  /** Reverse-DNS namespace of every served name. */
  namespace: string;
  /** When the definition last changed (RFC 3339). */
  updatedAt: string;
}

export interface ServedServer {
  server: Record<string, unknown> & { name: string; version: string; description: string };
  _meta: Record<string, unknown> & { [OFFICIAL_META]: { status: 'active' | 'deprecated'; updatedAt: string; publishedAt: string; isLatest: true; statusMessage?: string } };
}

/** The namespace when mcpgw.yaml names none: the public URL's DNS name reversed (mcp.example.com → com.example.mcp). */
export function defaultNamespace(publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  if (!host.includes('.') || /^[\d.]+$/.test(host) || host.startsWith('[')) return 'local.mcpgw';
  return host.split('.').reverse().join('.');
}

/** `<namespace>/<service>`: the name the API serves a service under. */
export function servedName(namespace: string, service: string): string {
  return `${namespace}/${service}`;
}

function shortDescription(svc: ServiceDefinition): string {
  const text = svc.description.replace(/\s+/g, ' ').trim() || `MCP service ${svc.name} through the mcpgw gateway`;
  return text.length <= DESCRIPTION_MAX ? text : `${text.slice(0, DESCRIPTION_MAX - 1).trimEnd()}…`;
}

/** `metadata.version` when it is one, else a version that changes whenever the definition does. */
function versionOf(svc: ServiceDefinition): string {
  const written = svc.metadata.version;
  if (typeof written === 'string' && written.trim() && written.length <= 255 && written !== 'latest') return written;
  const { file: _file, ...definition } = svc;
  return `0.0.0-${createHash('sha256').update(canonicalJson(definition)).digest('hex').slice(0, 12)}`;
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** repository / websiteUrl / title when the definition's metadata holds valid ones (imports keep them there). */
function descriptiveFields(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const repo = metadata.repository as Record<string, unknown> | undefined;
  if (repo && typeof repo === 'object' && httpUrl(repo.url) && typeof repo.source === 'string') out.repository = { url: repo.url, source: repo.source };
  const website = httpUrl(metadata.websiteUrl) ?? httpUrl(metadata.website_url) ?? httpUrl(metadata.docs);
  if (website) out.websiteUrl = website;
  if (typeof metadata.title === 'string' && metadata.title.trim() && metadata.title.length <= 100) out.title = metadata.title;
  return out;
}

/** The remote a client connects to: this gateway. Services behind identity ask for the caller's token. */
function gatewayRemote(svc: ServiceDefinition, publicUrl: string): Record<string, unknown> {
  const sse = svc.transport === 'sse';
  const remote: Record<string, unknown> = { type: sse ? 'sse' : 'streamable-http', url: gatewayEndpoint(publicUrl, svc) };
  if (svc.auth === 'required') {
    remote.headers = [{ name: 'Authorization', description: `Bearer token for ${publicUrl} (mcpgw login, or an API key)`, isRequired: true, isSecret: true }];
  }
  return remote;
}

export function serverDocument(svc: ServiceDefinition, ctx: ServerDocumentContext, extra: Record<string, unknown> = {}): ServedServer {
  const server: ServedServer['server'] = {
    $schema: SERVER_SCHEMA_URL,
    name: servedName(ctx.namespace, svc.name),
    description: shortDescription(svc),
    version: versionOf(svc),
    ...descriptiveFields(svc.metadata),
    remotes: [gatewayRemote(svc, ctx.publicUrl)],
    ...(Object.keys(svc.metadata).length ? { _meta: { [PUBLISHER_META]: svc.metadata } } : {}),
  };
  const official = svc.enabled
    ? { status: 'active' as const, publishedAt: ctx.updatedAt, updatedAt: ctx.updatedAt, isLatest: true as const }
    : { status: 'deprecated' as const, statusMessage: 'disabled on this gateway', publishedAt: ctx.updatedAt, updatedAt: ctx.updatedAt, isLatest: true as const };
  const own = { service: svc.name, path: svc.path, enabled: svc.enabled, transport: svc.transport, description: svc.description, tags: svc.tags, auth: svc.auth, ...(svc.federation ? { peer: svc.federation.peer } : {}), ...extra };
  return { server, _meta: { [OFFICIAL_META]: official, [MCPGW_META]: own } };
}
