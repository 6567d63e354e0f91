// scopes.yml — identity groups → scopes → per-server methods and tools, plus registry rights.
import { z } from 'zod';
import type { HintTable } from './yaml-document.js';
import { callerLimitsSchema, LIMITS_HINTS } from './limits.js';

export const REGISTRY_RIGHTS = ['list', 'register', 'enable', 'disable', 'remove'] as const;
export type RegistryRight = (typeof REGISTRY_RIGHTS)[number];

/** Methods a server grant allows when it lists none: what a client needs to connect and discover. */
export const DEFAULT_METHODS = ['initialize', 'ping', 'notifications/*', 'tools/list', 'tools/call'];

const pattern = z.string().min(1);

export const serverGrantSchema = z
  .object({
    methods: z.array(pattern).default(DEFAULT_METHODS),
    tools: z.array(pattern).default([]),
    prompts: z.array(pattern).default([]),
    resources: z.array(pattern).default([]),
    /** What each caller this grant admits may spend on the server (rate, burst, per tool). */
    limits: callerLimitsSchema.optional(),
  })
  .strict();

export const scopeSchema = z
  .object({
    description: z.string().optional(),
    /** Server name (or `*` pattern) → what may be done there. */
    servers: z.record(serverGrantSchema).default({}),
    registry: z.array(z.enum(REGISTRY_RIGHTS)).default([]),
  })
  .strict();

export const scopesFileSchema = z
  .object({
    /** Group from the identity provider → scope names. */
    groups: z.record(z.array(z.string().min(1))).default({}),
    scopes: z.record(scopeSchema).default({}),
  })
  .strict();

export type ScopesFile = z.infer<typeof scopesFileSchema>;
export type Scope = z.infer<typeof scopeSchema>;
export type ServerGrant = z.infer<typeof serverGrantSchema>;

export const SCOPES_HINTS: HintTable = {
  registry: `use any of ${REGISTRY_RIGHTS.join(', ')}`,
  methods: 'use JSON-RPC method names or patterns: [initialize, tools/list, tools/call, "notifications/*"]',
  tools: 'use tool names or patterns: [get_forecast, "get_*"]; under limits: a map of tool name → { rate, burst }',
  rate: LIMITS_HINTS.rate,
  burst: LIMITS_HINTS.burst,
  'unknown:': 'allowed top-level keys: groups, scopes',
};
