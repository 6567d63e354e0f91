// The reference system's server JSON (server_name, path, proxy_pass_url, supported_transports,
// auth_scheme, headers, tool_list, metadata …) → registry.d fields; what has no place → metadata.
import type { ServiceFields } from '../../core/config/service-yaml.js';
import { literalSecretReason } from '../../core/config/secrets.js';
import { envName, identity, ImportFormatError, shellVarsToReferences, slugify, str, type ImportOptions, type Json } from './import-rules.js';

/** Top-level keys that have a place in registry.d; every other key is kept under metadata. */
const PLACED = new Set(['description', 'path', 'proxy_pass_url', 'tags', 'is_enabled', 'tool_list', 'headers', 'metadata']);

/** The reference system serves an MCP server at proxy_pass_url + "mcp" (streamable-http) or + "sse". */
export function referenceEndpoint(proxyPassUrl: string, transport: 'streamable-http' | 'sse'): string {
  const url = new URL(proxyPassUrl);
  const last = url.pathname.replace(/\/+$/, '').split('/').pop();
  if (last === 'mcp' || last === 'sse') return proxyPassUrl;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${transport === 'sse' ? 'sse' : 'mcp'}`;
  return url.toString();
}

function transportOf(d: Json, upstream: string): 'streamable-http' | 'sse' {
  const listed = Array.isArray(d.supported_transports) ? d.supported_transports.map(String) : [];
  if (listed.includes('streamable-http')) return 'streamable-http';
  if (listed.includes('sse')) return 'sse';
  return upstream.replace(/\/+$/, '').endsWith('/sse') ? 'sse' : 'streamable-http';
}

/** headers: [{"X-API-Key": "$KEY"}] or {"X-API-Key": "$KEY"}; $VAR → ${env:VAR}; literal credentials → references. */
function headersOf(d: Json, name: string): Record<string, string> {
  const entries = Array.isArray(d.headers) ? (d.headers as Json[]) : d.headers && typeof d.headers === 'object' ? [d.headers as Json] : [];
  const out: Record<string, string> = {};
  for (const entry of entries) {
    for (const [header, raw] of Object.entries(entry ?? {})) {
      if (typeof raw !== 'string') continue;
      const value = shellVarsToReferences(raw);
      out[header] = literalSecretReason(header, value) ? `\${env:${envName(name, header)}}` : value;
    }
  }
  if (str(d.auth_scheme)?.toLowerCase() === 'bearer' && !Object.keys(out).some((h) => h.toLowerCase() === 'authorization')) {
    out.Authorization = `Bearer \${env:${envName(name, 'token')}}`;
  }
  return out;
}

function toolsOf(d: Json): ServiceFields['tools'] {
  if (!Array.isArray(d.tool_list)) return undefined;
  return (d.tool_list as Json[]).filter((t) => str(t.name)).map((t) => {
    const parsed = (t.parsed_description ?? {}) as Json;
    const parts = [str(parsed.main) ?? str(t.description), str(parsed.args) && `Args: ${parsed.args}`, str(parsed.returns) && `Returns: ${parsed.returns}`, str(parsed.raises) && `Raises: ${parsed.raises}`];
    const schema = (t.schema ?? t.inputSchema ?? { type: 'object', properties: {} }) as Json;
    return { name: String(t.name), description: parts.filter(Boolean).join('\n'), inputSchema: schema };
  });
}

export function fromReference(d: Json, opts: ImportOptions): ServiceFields {
  const proxyPass = str(d.proxy_pass_url);
  if (!proxyPass) throw new ImportFormatError('reference server JSON has no proxy_pass_url');
  try {
    new URL(proxyPass);
  } catch {
    throw new ImportFormatError(`reference server JSON proxy_pass_url "${proxyPass}" is not a URL`);
  }
  const fallback = `/${slugify(str(d.server_name) ?? 'service')}`;
  const rawPath = (str(d.path) ?? fallback).replace(/\/+$/, '') || fallback;
  const { name, path } = identity({ name: slugify(rawPath.split('/').filter(Boolean).join('-')), path: rawPath }, opts);
  const transport = transportOf(d, proxyPass);
  const custom = d.metadata && typeof d.metadata === 'object' && !Array.isArray(d.metadata) ? (d.metadata as Json) : {};
  const rest = Object.fromEntries(Object.entries(d).filter(([k]) => !PLACED.has(k)));
  const headers = headersOf(d, name);
  return {
    name,
    path,
    description: str(d.description) ?? '',
    tags: Array.isArray(d.tags) ? (d.tags as unknown[]).map(String) : [],
    enabled: typeof d.is_enabled === 'boolean' ? d.is_enabled : true,
    transport,
    upstream: referenceEndpoint(proxyPass, transport),
    headers: Object.keys(headers).length ? headers : undefined,
    metadata: { ...custom, ...rest, proxy_pass_url: proxyPass },
    tools: toolsOf(d),
  };
}
