// The catalogue as MCP resources, mcpgw://services/<name>, for clients that browse resources:
// the same view as get_service, limited to what the reader may see.
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { getService } from './catalogue.js';
import type { RegistryContext } from './registry-context.js';

export const SERVICE_URI_PREFIX = 'mcpgw://services/';

export function registerServiceResources(server: McpServer, ctx: RegistryContext): void {
  server.registerResource(
    'service',
    new ResourceTemplate(`${SERVICE_URI_PREFIX}{name}`, {
      list: async (extra) => {
        return {
          resources: ctx.registry.visibleServices(ctx.callerOf(extra)).map((s) => ({
            uri: `${SERVICE_URI_PREFIX}${s.name}`,
            name: s.name,
            description: s.description || undefined,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    { title: 'MCP service on this gateway', description: 'One service: definition without secrets, gateway URL, health and the tools you may call.', mimeType: 'application/json' },
    async (uri, variables, extra) => {
      const view = await getService(ctx.registry, ctx.callerOf(extra), String(variables.name));
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(view, null, 2) }] };
    },
  );
}
