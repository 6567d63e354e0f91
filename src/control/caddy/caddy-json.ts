// The slice of Caddy's JSON config that mcpgw writes (https://caddyserver.com/docs/json/).
// Handlers and matchers stay open records: Caddy validates them, we only build them.
export type CaddyHandler = { handler: string } & Record<string, unknown>;
export type CaddyMatcher = Record<string, unknown>;

export interface CaddyRoute {
  /** Caddy's `@id` lets mcpgw name its routes, diff them and address them in the admin API. */
  '@id'?: string;
  group?: string;
  match?: CaddyMatcher[];
  handle: CaddyHandler[];
  terminal?: boolean;
}

export interface CaddyServer {
  listen: string[];
  routes: CaddyRoute[];
  errors?: { routes: CaddyRoute[] };
  automatic_https?: { disable?: boolean };
  tls_connection_policies?: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface CaddyConfig {
  admin: { listen: string; [key: string]: unknown };
  apps: {
    http: { servers: Record<string, CaddyServer> };
    tls?: Record<string, unknown>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** The name of the HTTP server mcpgw owns inside Caddy's config. */
export const SERVER_NAME = 'mcpgw';
