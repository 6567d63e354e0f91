// scopes.yml — identity groups → scopes → per-server methods and tools, plus registry rights
// (what a scope may change in the registry, and with which secrets, upstreams and commands).
import { z } from 'zod';
import { GROUP_NAME_RULE, isGroupName } from '../identity/group-name.js';
import { emptyOwnRecord, ownRecord } from './own-record.js';
import type { HintTable } from './yaml-document.js';
import { callerLimitsSchema, LIMITS_HINTS } from './limits.js';

export const REGISTRY_RIGHTS = ['list', 'register', 'enable', 'disable', 'remove'] as const;
export type RegistryRight = (typeof REGISTRY_RIGHTS)[number];

/**
 * Methods a server grant allows when it lists none: what standard clients do on connect
 * (inspector-cli sets logging/setLevel, IDEs list prompts and resources, 2026-07-28 clients
 * ask server/discover and listen for subscriptions, and poll the tasks their calls created —
 * each task only by its creator, see authd) and what uses a grant's lists. The named
 * ones (tools/call, prompts/get, resources/read, resources/(un)subscribe) still need their
 * target in `tools:`, `prompts:` or `resources:`, which default to none.
 */
export const DEFAULT_METHODS = [
  'initialize',
  'ping',
  'notifications/*',
  'server/discover',
  'logging/setLevel',
  'completion/complete',
  'subscriptions/listen',
  'tools/list',
  'tools/call',
  'prompts/list',
  'prompts/get',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'tasks/get',
  'tasks/update',
  'tasks/cancel',
  'tasks/result',
];

const pattern = z.string().min(1);

export const serverGrantSchema = z
  .object({
    methods: z.array(pattern).default(DEFAULT_METHODS),
    tools: z.array(pattern).default([]),
    prompts: z.array(pattern).default([]),
    resources: z.array(pattern).default([]),
    /**
     * 2026-07-28 `Mcp-Param-{Name}` headers (tool arguments a tool's schema mirrors with
     * `x-mcp-header`) → the values (patterns) tools/call may carry; every one named must be sent.
     */
    params: ownRecord(z.array(pattern).min(1)).optional(),
    /** What each caller this grant admits may spend on the server (rate, burst, per tool). */
    limits: callerLimitsSchema.optional(),
  })
  .strict();

/** `10.0.0.0/8`, `fd00::/8`: an address range an upstream may be in. */
const CIDR = /^[0-9a-fA-F:.]+\/\d{1,3}$/;

/**
 * What holders of `register` may put into a definition (see README: Registry rights).
 * `secrets`: `${env:NAME}` names (patterns) and `file:PATH` patterns they may reference;
 * `upstreams`: host-name patterns, IP addresses or CIDR ranges they may point at — `*` is any
 * public host; loopback, private, link-local and metadata addresses only when named;
 * `commands`: may register `command:` (stdio) services, which run on the gateway host.
 */
const registryGrantObject = z
  .object({
    rights: z.array(z.enum(REGISTRY_RIGHTS)).default([]),
    secrets: z.array(pattern).default([]),
    upstreams: z
      .array(pattern.refine((p) => !p.includes('/') || CIDR.test(p), { message: 'is neither a host pattern nor an address range like 10.0.0.0/8' }))
      .default(['*']),
    commands: z.boolean().default(false),
  })
  .strict();

export type RegistryGrant = z.infer<typeof registryGrantObject>;

/** `registry: [list, register]` is short for `registry: {rights: [list, register]}` (public upstreams, no secrets, no commands). */
export const registryGrantSchema = z
  .union([z.array(z.enum(REGISTRY_RIGHTS)), registryGrantObject])
  .transform((v): RegistryGrant => (Array.isArray(v) ? registryGrantObject.parse({ rights: v }) : v));

export const NO_REGISTRY_GRANT: RegistryGrant = registryGrantObject.parse({});

export const scopeSchema = z
  .object({
    description: z.string().optional(),
    /** Server name (or `*` pattern) → what may be done there. */
    servers: ownRecord(serverGrantSchema).default(emptyOwnRecord()),
    registry: registryGrantSchema.default([]),
  })
  .strict();

export const scopesFileSchema = z
  .object({
    /** Group from the identity provider → scope names. Any name but control characters: `__proto__` is just a name. */
    groups: ownRecord(z.array(z.string().min(1))).default(emptyOwnRecord()).superRefine((groups, ctx) => {
      for (const name of Object.keys(groups)) if (!isGroupName(name)) ctx.addIssue({ code: 'custom', path: [name], message: `is not a group name (${GROUP_NAME_RULE})` });
    }),
    scopes: ownRecord(scopeSchema).default(emptyOwnRecord()),
  })
  .strict();

export type ScopesFile = z.infer<typeof scopesFileSchema>;
export type Scope = z.infer<typeof scopeSchema>;
export type ServerGrant = z.infer<typeof serverGrantSchema>;

export const SCOPES_HINTS: HintTable = {
  registry: `use a list of rights (${REGISTRY_RIGHTS.join(', ')}) or {rights: […], secrets: [NAME_*], upstreams: ["*.example.com", 10.0.0.0/8], commands: false}`,
  rights: `use any of ${REGISTRY_RIGHTS.join(', ')}`,
  secrets: 'use environment variable names or patterns (WEATHER_*), or file:PATH patterns (file:/run/secrets/weather/*)',
  upstreams: 'use host patterns ("*" = any public host, "*.example.com"), addresses (127.0.0.1) or ranges (10.0.0.0/8)',
  commands: 'use true or false',
  methods: 'use JSON-RPC method names or patterns: [initialize, tools/list, tools/call, "notifications/*"]',
  tools: 'use tool names or patterns: [get_forecast, "get_*"]; under limits: a map of tool name → { rate, burst }',
  params: 'use a map of Mcp-Param header name (the x-mcp-header name, without Mcp-Param-) → allowed values or patterns: { Region: [eu-west1, "eu-*"] }',
  rate: LIMITS_HINTS.rate,
  burst: LIMITS_HINTS.burst,
  'unknown:': 'allowed top-level keys: groups, scopes',
};
