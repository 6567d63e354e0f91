// Migration from other registries' formats into registry.d fields:
//  (a) the reference system's server JSON (server_name, path, proxy_pass_url, tool_list …)
//  (b) the official MCP Registry's server.json (remotes: [{type, url, headers}]).
import type { ServiceFields } from '../../core/config/service-yaml.js';
import { McpgwError } from '../../core/errors.js';

export class ImportFormatError extends McpgwError {
  constructor(message: string) {
    super('ERR_IMPORT_FORMAT', message, 'invalid-input');
  }
}

export type ImportFormat = 'reference' | 'server.json';

type Json = Record<string, unknown>;

/** A registry.d-safe name from any label: "io.github.acme/Weather Server" → "weather-server". */
export function slugify(label: string): string {
  const last = label.split('/').filter(Boolean).pop() ?? label;
  const slug = last.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug || 'service';
}

export function detectFormat(data: unknown): ImportFormat | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Json;
  if ('server_name' in d || 'proxy_pass_url' in d) return 'reference';
  if ('remotes' in d || ('packages' in d && 'name' in d) || (typeof d.$schema === 'string' && d.$schema.includes('server.schema'))) return 'server.json';
  return undefined;
}

export function importService(data: unknown): ServiceFields {
  const format = detectFormat(data);
  if (format === 'reference') return fromReference(data as Json);
  if (format === 'server.json') return fromServerJson(data as Json);
  throw new ImportFormatError('not a known format: expected the reference server JSON (server_name, proxy_pass_url) or an MCP Registry server.json (name, remotes)');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function fromReference(d: Json): ServiceFields {
  const upstream = str(d.proxy_pass_url);
  if (!upstream) throw new ImportFormatError('reference server JSON has no proxy_pass_url');
  const rawPath = str(d.path) ?? `/${slugify(str(d.server_name) ?? 'service')}`;
  const path = rawPath.replace(/\/+$/, '') || `/${slugify(str(d.server_name) ?? 'service')}`;
  const name = slugify(path.split('/').filter(Boolean).join('-') || str(d.server_name) || 'service');
  const tools = Array.isArray(d.tool_list)
    ? (d.tool_list as Json[]).filter((t) => str(t.name)).map((t) => {
        const parsed = (t.parsed_description ?? {}) as Json;
        const description = str(parsed.main) ?? str(t.description) ?? '';
        const schema = (t.schema ?? t.inputSchema ?? { type: 'object', properties: {} }) as Json;
        return { name: String(t.name), description, inputSchema: schema };
      })
    : undefined;
  const metadata: Json = {};
  if (str(d.license)) metadata.license = d.license;
  if (typeof d.num_tools === 'number') metadata.num_tools = d.num_tools;
  if (str(d.server_name)) metadata.display_name = d.server_name;
  return {
    name,
    path,
    description: str(d.description) ?? '',
    tags: Array.isArray(d.tags) ? (d.tags as unknown[]).map(String) : [],
    enabled: typeof d.is_enabled === 'boolean' ? d.is_enabled : true,
    transport: upstream.replace(/\/+$/, '').endsWith('/sse') ? 'sse' : 'streamable-http',
    upstream,
    metadata,
    tools,
  };
}

function fromServerJson(d: Json): ServiceFields {
  const label = str(d.name) ?? 'service';
  const remotes = Array.isArray(d.remotes) ? (d.remotes as Json[]) : [];
  const remote = remotes.find((r) => r.type === 'streamable-http') ?? remotes.find((r) => r.type === 'sse');
  if (!remote || !str(remote.url)) {
    throw new ImportFormatError(`server.json "${label}" has no streamable-http or sse remote — only remote servers can be imported (run packaged servers with "command:")`);
  }
  if (/\{[^}]+\}/.test(String(remote.url))) {
    throw new ImportFormatError(`server.json "${label}" remote URL has template variables (${remote.url}) — fill them in and import again`);
  }
  const name = slugify(label);
  const headers: Record<string, string> = {};
  for (const h of Array.isArray(remote.headers) ? (remote.headers as Json[]) : []) {
    const hname = str(h.name);
    if (!hname) continue;
    // Values are never copied: every header becomes a reference to fill in.
    const envName = `${name}_${hname}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    headers[hname] = str(h.value) && !h.isSecret && !/\{/.test(String(h.value)) ? String(h.value) : `\${env:${envName}}`;
  }
  const metadata: Json = { registry_name: label };
  if (str(d.version)) metadata.version = d.version;
  const repo = d.repository as Json | undefined;
  if (repo && str(repo.url)) metadata.repository = repo.url;
  if (str(d.websiteUrl)) metadata.docs = d.websiteUrl;
  return {
    name,
    path: `/${name}`,
    description: str(d.description) ?? '',
    tags: [],
    enabled: true,
    transport: String(remote.type),
    upstream: String(remote.url),
    headers: Object.keys(headers).length ? headers : undefined,
    metadata,
  };
}
