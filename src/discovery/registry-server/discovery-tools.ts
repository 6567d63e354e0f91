// Tools every caller with access to the registry gets: discover tools and services, check
// health, and call a found tool through the gateway. Descriptions are written for a model.
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { getService, healthReport, listServices } from './catalogue.js';
import { findToolsFor } from '../search/find-for-caller.js';
import { callToolAs } from '../../client/gateway-call.js';
import type { RegistryContext, RequestExtra } from './registry-context.js';
import { failureResult, toolAnswer } from './tool-results.js';

const serviceName = z.string().min(1).describe('Service name exactly as find_tools or list_services return it, e.g. "everything".');

export function registerDiscoveryTools(server: McpServer, ctx: RegistryContext): void {
  // The current project of the process's registry service: no file is read per call.
  const session = (extra: RequestExtra) => ({ registry: ctx.registry, project: ctx.registry.project, caller: ctx.callerOf(extra) });

  server.registerTool(
    'find_tools',
    {
      title: 'Find tools by meaning',
      description:
        'Search every MCP tool registered on this gateway by what it does, in plain words ("echo a message back", "weather forecast for a city"). ' +
        'Returns the best matches you are allowed to call, best first, each with its server, tool name, description, JSON input schema and the gateway URL of its server. ' +
        'To use a result, call call_tool with its server, tool and arguments matching inputSchema (or connect an MCP client to its url). ' +
        'A result with confidence "low" matched by meaning only (none of your words is in its text); a query nothing matches returns no results — rephrase it.',
      inputSchema: {
        query: z.string().min(1).describe('What you want to do, in a few words.'),
        top_k: z.number().int().min(1).max(50).optional().describe('How many results to return (default 5).'),
        server: z.string().optional().describe('Only tools of this service.'),
        tags: z.array(z.string()).optional().describe('Only tools of services carrying all of these tags.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) =>
      toolAnswer(async () => {
        const { registry, caller } = session(extra);
        const { query, results, warnings } = await findToolsFor(registry, caller, { query: args.query, topK: args.top_k, servers: args.server ? [args.server] : undefined, tags: args.tags });
        return { query, results, warnings };
      }),
  );

  server.registerTool(
    'list_services',
    {
      title: 'List services',
      description:
        'List the MCP services (servers) on this gateway that you may see: name, description, tags, enabled, transport, the gateway URL to connect to, and last health. ' +
        'Use get_service for a service\'s tools, find_tools to search tools by meaning.',
      inputSchema: {
        filter: z.string().optional().describe('Words that must all appear in the service name, description or tags.'),
        tags: z.array(z.string()).optional().describe('Only services carrying all of these tags.'),
        enabled: z.boolean().optional().describe('true: only enabled services; false: only disabled ones.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) =>
      toolAnswer(async () => {
        const { registry, caller } = session(extra);
        return { services: await listServices(registry, caller, { text: args.filter, tags: args.tags, enabled: args.enabled }) };
      }),
  );

  server.registerTool(
    'get_service',
    {
      title: 'Describe one service',
      description:
        'One service in full: its definition (no secret values; header names only), gateway URL, last health, and the tools you may call on it with their input schemas.',
      inputSchema: { name: serviceName },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) =>
      toolAnswer(async () => {
        const { registry, caller } = session(extra);
        return { ...(await getService(registry, caller, args.name)) };
      }),
  );

  server.registerTool(
    'health',
    {
      title: 'Service health',
      description:
        'Last health check of one service, or of every service you may see: status (healthy, unhealthy, auth-required, timeout, unknown), reason, when it was checked, latency and tool count.',
      inputSchema: { name: serviceName.optional().describe('A service name; omit for all services.') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) =>
      toolAnswer(async () => {
        const { registry, caller } = session(extra);
        return { services: await healthReport(registry, caller, args.name) };
      }),
  );

  server.registerTool(
    'call_tool',
    {
      title: 'Call a tool through the gateway',
      description:
        'Call a tool of another service through the gateway, as yourself: the gateway checks your own permissions exactly as if you had connected to that service. ' +
        'Returns that tool\'s own result. Find the server and tool with find_tools first and pass arguments that match its inputSchema. ' +
        'A refusal comes back as an error with the gateway\'s status (403: you may not call it; 503: the service is disabled).',
      inputSchema: {
        server: serviceName,
        tool: z.string().min(1).describe('Tool name exactly as find_tools returned it.'),
        arguments: z.record(z.unknown()).default({}).describe('The tool\'s arguments, an object matching its inputSchema.'),
      },
      annotations: { openWorldHint: true },
    },
    async (args, extra) => {
      try {
        const { project, caller } = session(extra);
        return await callToolAs(project, caller, args.server, args.tool, args.arguments);
      } catch (err) {
        return failureResult(err);
      }
    },
  );
}
