// mcpgw.yaml — gateway settings. Every field has a safe default so a new checkout runs.
import { z } from 'zod';
import { byteSize, duration, httpUrl, listenAddress } from './common.js';
import type { HintTable } from './yaml-document.js';
import { DEFAULT_LISTEN } from '../wire/contract.js';
import { LIMITS_HINTS, limitsSettingsSchema } from './limits.js';
import { rotationInterval } from '../state/rotated-files.js';
import { secretReference } from './upstream-auth.js';
import { NODE_HINTS, nodeSettingsSchema } from './node-identity.js';

const LOOPBACK_ADMIN = /^(unix\/\/.+|(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d{1,5})$/;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d{1,5}$/;

/** Daemons behind Caddy trust what Caddy sends (identity headers, authd's decision): loopback only. */
const behindCaddy = (fallback: string) =>
  listenAddress.refine((a) => LOOPBACK.test(a), 'must be a loopback address: this daemon sits behind Caddy and trusts what Caddy forwards').default(fallback);

export const identityProviderSchema = z
  .object({
    issuer: httpUrl,
    /** The audience tokens must carry: this gateway's resource identifier (RFC 8707). */
    audience: z.string().min(1),
    client_id: z.string().min(1).optional(),
    /** Claim holding the caller's groups: groups, cognito:groups, realm_access.roles, scope … */
    groups_claim: z.string().default('groups'),
    algorithms: z.array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'])).default(['RS256', 'PS256', 'ES256', 'EdDSA']),
    clock_skew: duration.default('30s'),
    /** The gateway's own client at this provider for RFC 8693 token exchange (upstream_auth: token_exchange). */
    token_exchange: z
      .object({
        client_id: z.string().min(1),
        /** By reference only: the gateway's credential never sits in a file in git. */
        client_secret: secretReference('client_secret'),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A peer gateway: its public URL and the credential this gateway presents there (by reference). */
export const federationPeerSchema = z
  .object({
    /** Lowercase letters, digits, dashes: the prefix of the peer's services here (`<name>/<service>` at `/<name>/<path>`). */
    name: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lowercase letters, digits and dashes'),
    url: httpUrl,
    /** The bearer token the peer knows this gateway by: `${env:NAME}` or `${file:PATH}`, never inline. */
    token: secretReference('token'),
  })
  .strict();

export type FederationPeer = z.infer<typeof federationPeerSchema>;

export const settingsSchema = z
  .object({
    gateway: z
      .object({
        listen: listenAddress.default(DEFAULT_LISTEN.gateway),
        /** The URL agents use; defaults to http://<listen>. */
        public_url: httpUrl.optional(),
        /** Serve HTTPS for this domain (ACME or `tls` files). */
        domain: z.string().optional(),
        tls: z.object({ cert: z.string(), key: z.string() }).strict().optional(),
        /** Browser origins allowed to call services; requests with another Origin get 403. */
        allowed_origins: z.array(z.string()).default([]),
      })
      .strict()
      .default({}),
    caddy: z
      .object({
        admin: listenAddress
          .refine((a) => LOOPBACK_ADMIN.test(a), 'must be a loopback address or unix socket (the admin API is unauthenticated)')
          .default(DEFAULT_LISTEN.caddyAdmin),
        binary: z.string().default('caddy'),
        /** Keep Caddy's proxy and rewrite handler logs (off: their per-request set-up costs ~15 % of Caddy's CPU; see QUIET_CADDY_LOGGERS). */
        proxy_logs: z.boolean().default(false),
      })
      .strict()
      .default({}),
    authd: z
      .object({ listen: behindCaddy(DEFAULT_LISTEN.authd) })
      .strict()
      .default({}),
    registry_server: z
      .object({ listen: behindCaddy(DEFAULT_LISTEN.registryServer) })
      .strict()
      .default({}),
    stdio_host: z
      .object({ listen: behindCaddy(DEFAULT_LISTEN.stdioHost) })
      .strict()
      .default({}),
    web: z
      .object({
        listen: listenAddress.default(DEFAULT_LISTEN.web),
        /** OAuth client the web UI signs people in with (PKCE; allows <public_url>/ui/callback); default: the provider's client_id. */
        client_id: z.string().min(1).optional(),
        /** A browser session ends after this at the latest (or when the access token expires). */
        session_ttl: duration.default('8h'),
      })
      .strict()
      .default({}),
    identity: z
      .object({
        providers: z.array(identityProviderSchema).default([]),
        /** keys.json (API key hashes) elsewhere than the state dir, e.g. a mounted Kubernetes Secret; relative to the checkout. */
        api_keys_file: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    /** This gateway as one node of several (core/config/node-identity.ts): its id, health endpoints, its peers. */
    node: nodeSettingsSchema,
    /** Where rate-limit counters live: in each authd (default) or shared through Redis. */
    limits: limitsSettingsSchema,
    /** Prometheus metrics on a listener of their own (off unless `listen` is set; loopback only). */
    metrics: z
      .object({
        listen: listenAddress.refine((a) => LOOPBACK.test(a), 'must be a loopback address: metrics name services and tools, scrape them locally or through a proxy of your own').optional(),
      })
      .strict()
      .default({}),
    /** authd's audit trail (state_dir/audit.jsonl) and Caddy's access log beside it. */
    audit: z
      .object({
        /** Also write each audit line to authd's stdout (a cluster's log pipeline). */
        stdout: z.boolean().default(false),
        /** Rotate when the file reaches this size. */
        max_size: byteSize.default('100MB'),
        /** Rotate at least this often (e.g. 1d); default: by size only. */
        rotate_every: duration.refine((ms) => rotationInterval(ms) !== undefined, 'must be whole days, or hours dividing 24, or minutes dividing 60 (rotations fall on clock boundaries)').optional(),
        /** Rotated files kept; older ones are deleted. */
        keep: z.number().int().min(1).max(1000).default(10),
        /** Caddy's access log (status, duration per request) for `mcpgw usage` latency and errors. */
        access_log: z.boolean().default(true),
      })
      .strict()
      .default({}),
    /** OpenTelemetry traces of authd's decisions, exported over OTLP/HTTP (JSON). Off unless an endpoint is set. */
    tracing: z
      .object({
        /** e.g. http://127.0.0.1:4318/v1/traces */
        otlp_endpoint: httpUrl.optional(),
        service_name: z.string().min(1).default('mcpgw-authd'),
      })
      .strict()
      .default({}),
    /** Per-user upstream credentials (upstream_auth: delegated_oauth), kept encrypted in the state dir. */
    upstream_credentials: z
      .object({
        /** AES-256-GCM key material (32+ random bytes, e.g. `openssl rand -base64 32`), by reference only. */
        encryption_key: secretReference('encryption_key').optional(),
      })
      .strict()
      .default({}),
    /** The MCP Registry API at <gateway>/v0.1 (README: Registry API). */
    registry_api: z
      .object({
        /**
         * Answer requests without a token (off by default): they are served as the group
         * `public_group`, so scopes.yml says what anyone may see, through the one visibility rule.
         */
        public: z.boolean().default(false),
        public_group: z.string().min(1).default('anonymous'),
        /** The namespace of every served name (`<namespace>/<service>`); default: the public URL's host, reversed. */
        namespace: z
          .string()
          .regex(/^[a-zA-Z0-9.-]+$/, 'must be a reverse-DNS namespace like com.example.mcp')
          .optional(),
      })
      .strict()
      .default({}),
    /** Peer gateways whose services this gateway lists and routes to (README: Federation). */
    federation: z
      .object({
        peers: z.array(federationPeerSchema).default([]),
      })
      .strict()
      .default({}),
    state_dir: z.string().default('.mcpgw'),
    search: z
      .object({
        embedder: z.enum(['bundled', 'distilled', 'use', 'openai', 'none']).default('bundled'),
        use: z.object({ model_url: z.string().optional() }).strict().optional(),
        openai: z
          .object({ url: httpUrl, model: z.string(), api_key: z.string().optional() })
          .strict()
          .optional(),
        /** Rank tools that are called more a little higher (from the audit trail); off until it helps on the retrieval benchmark. */
        popularity_prior: z.boolean().default(false),
      })
      .strict()
      .default({}),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type IdentityProvider = z.infer<typeof identityProviderSchema>;

export const SETTINGS_HINTS: HintTable = {
  admin: 'use 127.0.0.1:2019 or unix//run/mcpgw/caddy-admin.sock',
  listen: 'use host:port, e.g. 127.0.0.1:8080',
  issuer: 'use the issuer URL your provider publishes, e.g. https://idp.example.com/realms/main',
  embedder: 'use bundled (offline default), distilled, use, openai or none',
  on_unavailable: LIMITS_HINTS.on_unavailable,
  command_timeout: LIMITS_HINTS.command_timeout,
  url: 'use redis://127.0.0.1:6379 or a reference like ${env:REDIS_URL}',
  'unknown:limits': 'limits has one section: redis',
  'unknown:limits.redis': 'redis has url, on_unavailable, command_timeout, key_prefix',
  'unknown:': 'allowed sections: gateway, caddy, authd, registry_server, stdio_host, web, identity, node, limits, metrics, audit, tracing, upstream_credentials, registry_api, federation, state_dir, search',
  'unknown:registry_api': 'registry_api has public, public_group, namespace',
  'unknown:federation': 'federation has one list: peers (name, url, token)',
  token: 'use a reference: ${env:EAST_TOKEN} or ${file:/run/secrets/east-token}',
  namespace: 'use a reverse-DNS namespace, e.g. com.example.mcp',
  ...NODE_HINTS,
  max_size: 'use a size, e.g. 100MB',
  rotate_every: 'use a duration, e.g. 1d or 12h',
  otlp_endpoint: 'use the collector\'s OTLP/HTTP traces URL, e.g. http://127.0.0.1:4318/v1/traces',
};

/** The public URL agents use for the gateway. */
export function publicUrl(settings: Settings): string {
  if (settings.gateway.public_url) return settings.gateway.public_url.replace(/\/$/, '');
  const scheme = settings.gateway.domain || settings.gateway.tls ? 'https' : 'http';
  const host = settings.gateway.domain ?? settings.gateway.listen;
  return `${scheme}://${host}`;
}
