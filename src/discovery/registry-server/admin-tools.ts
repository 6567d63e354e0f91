// Tools for holders of registry rights (scopes.yml `registry:`): register, enable, disable and
// probe services. They are listed only to callers who hold a right, and every call checks the
// right again against the current scopes.yml (rights can change while a session is open).
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { TRANSPORTS } from '../../core/config/service.js';
import type { RegistryRight } from '../../core/config/scopes.js';
import { registerService, refreshService, setEnabled } from './service-changes.js';
import type { RegistryContext } from './registry-context.js';
import { toolAnswer } from './tool-results.js';

const name = z.string().min(1).describe('The service name, e.g. "weather".');
const url = z.string().url();

export function registerAdminTools(server: McpServer, ctx: RegistryContext, rights: readonly RegistryRight[]): void {

  if (rights.includes('register')) {
    server.registerTool(
      'register_service',
      {
        title: 'Register a service',
        description:
          'Add an MCP server to the gateway (writes registry.d/<name>.yaml, validated like `mcpgw register`) and route it at once. ' +
          'Give either upstream (the server\'s own MCP URL) or command (a stdio server the gateway runs). ' +
          'Secrets are never given inline: headers take references like "Bearer ${env:WEATHER_TOKEN}". Needs the registry right "register".',
        inputSchema: {
          name: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/).describe('Lowercase letters, digits and dashes; also the file name.'),
          upstream: z.union([url, z.array(url).min(1)]).optional().describe('The server\'s MCP endpoint, e.g. http://10.0.0.5:9000/mcp (a list load-balances).'),
          command: z.string().optional().describe('Instead of upstream: a stdio server command line, e.g. "npx -y @modelcontextprotocol/server-memory".'),
          transport: z.enum(TRANSPORTS).optional().describe('streamable-http (default for upstream), sse, or stdio (implied by command).'),
          path: z.string().optional().describe('Gateway path; default /<name>.'),
          description: z.string().optional().describe('What the service offers, in a sentence (search uses it).'),
          tags: z.array(z.string()).optional(),
          enabled: z.boolean().optional().describe('Default true.'),
          headers: z.record(z.string()).optional().describe('Headers sent upstream; secret values only as ${env:NAME} or ${file:PATH}.'),
          replace: z.boolean().optional().describe('Overwrite an existing definition of that name (default false).'),
        },
        annotations: { destructiveHint: false, idempotentHint: false, openWorldHint: false },
      },
      async ({ replace, ...fields }, extra) =>
        toolAnswer(async () => {
          return { ...(await registerService(ctx, ctx.callerOf(extra), { ...fields, description: fields.description ?? '', tags: fields.tags ?? [] }, replace)) };
        }),
    );
    server.registerTool(
      'refresh_service',
      {
        title: 'Probe a service now',
        description: 'Check one service now (connect, initialize, list its tools) and record its health and tools, instead of waiting for the next scheduled probe. Needs the registry right "register".',
        inputSchema: { name },
        annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: true },
      },
      async (args, extra) =>
        toolAnswer(async () => {
          return { ...(await refreshService(ctx, ctx.callerOf(extra), args.name)) };
        }),
    );
  }

  for (const [right, enabled] of [['enable', true], ['disable', false]] as const) {
    if (!rights.includes(right)) continue;
    server.registerTool(
      `${right}_service`,
      {
        title: `${enabled ? 'Enable' : 'Disable'} a service`,
        description: enabled
          ? 'Route a disabled service again (sets enabled: true in its registry.d file, keeping comments) and apply it to the gateway at once. Needs the registry right "enable".'
          : 'Take a service off the gateway (sets enabled: false in its registry.d file, keeping comments) and apply it at once: its URL then answers 503 service_disabled. Needs the registry right "disable".',
        inputSchema: { name },
        annotations: { destructiveHint: !enabled, idempotentHint: true, openWorldHint: false },
      },
      async (args, extra) =>
        toolAnswer(async () => {
          return { ...(await setEnabled(ctx, ctx.callerOf(extra), args.name, enabled)) };
        }),
    );
  }
}
