// registry.d/<name>.yaml — one MCP service per file. The schema is the single source of the type.
import { z } from 'zod';
import { duration, httpUrl } from './common.js';
import { literalSecretReason } from './secrets.js';
import type { HintTable } from './yaml-document.js';
import { checkServiceBurst, LIMITS_HINTS, serviceLimitFields } from './limits.js';
import { UPSTREAM_AUTH_HINTS, upstreamAuthConflicts, upstreamAuthSchema } from './upstream-auth.js';

export const SERVICE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
import { TRANSPORTS, type Transport } from './transports.js';

export { TRANSPORTS, type Transport };

export const toolSchema = z
  .object({
    name: z.string().min(1),
    title: z.string().optional(),
    description: z.string().optional(),
    inputSchema: z.record(z.unknown()).default({ type: 'object', properties: {} }),
    outputSchema: z.record(z.unknown()).optional(),
    annotations: z.record(z.unknown()).optional(),
  })
  .passthrough();
export type ToolDefinition = z.infer<typeof toolSchema>;

const argv = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const commandSchema = z.union([
  argv,
  z
    .object({
      run: argv,
      env: z.record(z.string()).optional(),
      cwd: z.string().optional(),
      /** Variables of mcpgw's own environment passed to the child; none beyond PATH/HOME by default. */
      env_allow: z.array(z.string()).optional(),
      concurrency: z.enum(['per-service', 'per-session']).default('per-service'),
    })
    .strict(),
]);

const headers = z.record(z.string()).superRefine((map, ctx) => {
  for (const [name, value] of Object.entries(map)) {
    const reason = literalSecretReason(name, value);
    if (reason) ctx.addIssue({ code: 'custom', path: [name], message: reason, params: { code: 'E_INLINE_SECRET' } });
  }
});

export const serviceSchema = z
  .object({
    name: z.string().regex(SERVICE_NAME, 'must be lowercase letters, digits and dashes'),
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9._~\/-]*$/, 'must start with "/" and hold only path characters (no query or fragment)')
      .refine((p) => !p.split('/').includes('..'), 'must not contain ".."')
      .refine((p) => p !== '/' && !p.endsWith('/'), 'must name a prefix like "/weather" (no trailing slash)')
      .optional(),
    description: z.string().default(''),
    tags: z.array(z.string().min(1)).default([]),
    enabled: z.boolean().default(true),
    transport: z.enum(TRANSPORTS).optional(),
    upstream: z.union([httpUrl, z.array(httpUrl).min(1)]).optional(),
    command: commandSchema.optional(),
    headers: headers.optional(),
    /** Which credential goes upstream: static `headers:` (default), token_exchange or delegated_oauth (upstream-auth.ts). */
    upstream_auth: upstreamAuthSchema.default({ mode: 'static' }),
    /** `none` serves without authd — local development only; apply warns every time. */
    auth: z.enum(['required', 'none']).default('required'),
    /** Send the client's Authorization header upstream. Off: the MCP spec forbids token passthrough. */
    pass_authorization: z.boolean().default(false),
    /**
     * The upstream refuses a 2026-07-28 request whose Mcp-Method/Mcp-Name disagree with its body
     * (the spec requires servers to; the stdio host does), so authd decides such requests from
     * those headers alone and Caddy does not copy the body into the auth subrequest.
     */
    checks_mcp_headers: z.boolean().optional(),
    health: z
      .object({
        enabled: z.boolean().default(true),
        interval: duration.default('30s'),
        timeout: duration.default('5s'),
        /** authd refuses the service (503 service_unhealthy) while its last probe failed. */
        gate: z.boolean().default(false),
      })
      .strict()
      .default({}),
    limits: z
      .object({
        max_concurrent: z.number().int().positive().optional(),
        timeout: duration.optional(),
        memory_mb: z.number().int().positive().optional(),
        max_body_bytes: z.number().int().positive().default(4 * 1024 * 1024),
        /** Rate limits for all callers together, per service and per tool, and per-caller concurrency (authd). */
        ...serviceLimitFields,
      })
      .strict()
      .superRefine(checkServiceBurst)
      .default({}),
    /** Withhold changed tools from search and deny them until `mcpgw tools approve`. */
    pin_tools: z.boolean().default(false),
    tools: z.array(toolSchema).optional(),
    metadata: z.record(z.unknown()).default({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.upstream === undefined && s.command === undefined) {
      ctx.addIssue({ code: 'custom', path: ['upstream'], message: 'is required (or give "command" for a stdio server)' });
    }
    if (s.upstream !== undefined && s.command !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'cannot be combined with "upstream"' });
    }
    if (s.command !== undefined && s.transport !== undefined && s.transport !== 'stdio') {
      ctx.addIssue({ code: 'custom', path: ['transport'], message: `is "${s.transport}" but "command" runs a stdio server` });
    }
    if (s.upstream !== undefined && s.transport === 'stdio') {
      ctx.addIssue({ code: 'custom', path: ['transport'], message: 'is "stdio" but the service has an "upstream" URL' });
    }
    for (const c of upstreamAuthConflicts(s)) ctx.addIssue({ code: 'custom', path: c.path, message: c.message, params: { code: 'E_UPSTREAM_AUTH_CONFLICT', hint: c.hint } });
  })
  .transform((s) => ({
    ...s,
    path: s.path ?? `/${s.name}`,
    transport: (s.transport ?? (s.command !== undefined ? 'stdio' : 'streamable-http')) as Transport,
    upstreams: s.upstream === undefined ? [] : Array.isArray(s.upstream) ? s.upstream : [s.upstream],
  }));

/** A validated service definition, with defaults filled in. */
export type ServiceDefinition = z.infer<typeof serviceSchema> & {
  /** Path of the file it came from. */
  file: string;
  /**
   * A peer gateway's service (federation.peers), listed here read-only: the peer's name, and the
   * peer's own path for it, which Caddy puts back in front of the request (core/config/federation).
   */
  federation?: { peer: string; prefix: string };
};

export const SERVICE_HINTS: HintTable = {
  name: 'use lowercase letters, digits and dashes, the same as the file name (weather.yaml → name: weather)',
  path: 'use a prefix like /weather',
  upstream: 'use http://host:port/mcp (or a list of such URLs to load-balance)',
  transport: 'use streamable-http, sse or stdio',
  command: 'use a command line like "npx -y @modelcontextprotocol/server-memory" or an argv list',
  headers: 'write secrets by reference: "Bearer ${env:WEATHER_TOKEN}" or "${file:/run/secrets/weather}"',
  enabled: 'use true or false',
  tags: 'use a list of words: [forecast, weather]',
  interval: 'use a duration like 30s or 5m',
  timeout: 'use a duration like 5s',
  auth: 'use "required" (default) or "none" for local development',
  ...UPSTREAM_AUTH_HINTS,
  rate: LIMITS_HINTS.rate,
  burst: LIMITS_HINTS.burst,
  concurrent_per_caller: LIMITS_HINTS.concurrent_per_caller,
  lease: LIMITS_HINTS.lease,
  'unknown:limits': 'allowed limits: max_concurrent, timeout, memory_mb, max_body_bytes, rate, burst, tools, concurrent_per_caller, lease',
  'unknown:': 'allowed fields: name, path, description, tags, enabled, transport, upstream, command, headers, upstream_auth, auth, pass_authorization, checks_mcp_headers, health, limits, pin_tools, tools, metadata',
};
