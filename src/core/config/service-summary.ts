// The public face of a service: what list/show/UI/registry server print (never header values).
import type { ServiceDefinition } from './service.js';

export interface ServiceSummary {
  name: string;
  path: string;
  enabled: boolean;
  transport: string;
  /** Upstream URL(s) or the stdio command line. */
  target: string;
  upstreams: string[];
  command?: string[];
  description: string;
  tags: string[];
  file: string;
  headers: string[];
  metadata: Record<string, unknown>;
  /** A federation peer's service (read-only here): the peer's name. */
  remote?: string;
}

export function commandArgv(svc: ServiceDefinition): string[] | undefined {
  const cmd = svc.command;
  if (cmd === undefined) return undefined;
  const run = typeof cmd === 'object' && !Array.isArray(cmd) ? cmd.run : cmd;
  return Array.isArray(run) ? run : splitCommandLine(run);
}

/** Split a command line like a POSIX shell would for quotes and backslashes (no expansion). */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += ch;
      started = true;
    }
  }
  if (started) out.push(cur);
  return out;
}

export function serviceSummary(svc: ServiceDefinition): ServiceSummary {
  const command = commandArgv(svc);
  return {
    name: svc.name,
    path: svc.path,
    enabled: svc.enabled,
    transport: svc.transport,
    target: command ? command.join(' ') : svc.upstreams.join(', '),
    upstreams: svc.upstreams,
    command,
    description: svc.description,
    tags: svc.tags,
    file: svc.file,
    headers: Object.keys(svc.headers ?? {}),
    metadata: svc.metadata,
    ...(svc.federation ? { remote: svc.federation.peer } : {}),
  };
}

/**
 * The URL an agent connects to for a service through the gateway: the public URL, the
 * service path, then the upstream's own endpoint path (Caddy strips the service prefix).
 * stdio services are bridged at /mcp (Streamable HTTP) and /sse (legacy SSE).
 */
export function gatewayEndpoint(publicBase: string, svc: ServiceDefinition): string {
  const base = publicBase.replace(/\/$/, '') + svc.path;
  if (svc.transport === 'stdio') return `${base}/mcp`;
  const upstream = svc.upstreams[0];
  let endpoint = upstream ? new URL(upstream).pathname.replace(/\/$/, '') : '';
  // A peer's service: the peer's own path for it is put back by the route, not said twice.
  if (svc.federation && endpoint.startsWith(svc.federation.prefix)) endpoint = endpoint.slice(svc.federation.prefix.length);
  return `${base}${endpoint || (svc.transport === 'sse' ? '/sse' : '')}`;
}
