// The registry MCP server: discovery tools for everyone let in, change tools for holders of
// registry rights, and the catalogue as resources. One instance per HTTP request (stateless
// Streamable HTTP), per legacy SSE stream, or per stdio process — all over one registry service.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerAdminTools } from './admin-tools.js';
import type { Caller } from './caller.js';
import { registerDiscoveryTools } from './discovery-tools.js';
import type { RegistryContext } from './registry-context.js';
import { registerServiceResources } from './service-resources.js';
import type { CachingHints } from '../../core/wire/modern-results.js';

export const REGISTRY_SERVER_INFO = { name: 'mcpgw-registry', version: '0.1.0' };

const INSTRUCTIONS =
  'The registry of this MCP gateway. To do something you have no tool for: find_tools("what you want to do"), ' +
  'then call_tool(server, tool, arguments) with a result — the gateway applies your own permissions. ' +
  'list_services, get_service and health describe the servers; resources mcpgw://services/<name> hold the same.';

/**
 * The caching hints of the registry's results for 2026-07-28 clients (README, "The registry as an
 * MCP server"). What it says about itself and the shape of its resource names are the same for
 * everyone (public). Its tool list depends on the caller's registry rights — change tools are
 * listed only to their holders — and its resources on which services the caller may see, so those
 * are private. Tools change only when scopes.yml or mcpgw does (each call re-checks rights anyway):
 * a minute; the catalogue changes with every registration and probe (health): stale at once.
 */
const REGISTRY_CACHING: Readonly<Record<string, CachingHints>> = {
  'server/discover': { ttlMs: 3_600_000, cacheScope: 'public' },
  'resources/templates/list': { ttlMs: 3_600_000, cacheScope: 'public' },
  'tools/list': { ttlMs: 60_000, cacheScope: 'private' },
  'resources/list': { ttlMs: 0, cacheScope: 'private' },
  'resources/read': { ttlMs: 0, cacheScope: 'private' },
};

export function registryCachingHints(method: string): CachingHints | undefined {
  return REGISTRY_CACHING[method];
}

/** `caller` decides which change tools are listed; each call re-checks its own caller's rights. */
export function createRegistryMcpServer(ctx: RegistryContext, caller: Caller): McpServer {
  const server = new McpServer(REGISTRY_SERVER_INFO, { instructions: INSTRUCTIONS, capabilities: { tools: {}, resources: {} } });
  registerDiscoveryTools(server, ctx);
  registerAdminTools(server, ctx, ctx.registry.rightsOf(caller));
  registerServiceResources(server, ctx);
  // The SDK claims listChanged when tools and resources are registered; this server never sends
  // a list_changed (each instance serves one request or stream, its lists fixed at its start, and
  // it has no subscriptions/listen), so initialize and server/discover say so.
  server.server.registerCapabilities({ tools: { listChanged: false }, resources: { listChanged: false } });
  return server;
}
