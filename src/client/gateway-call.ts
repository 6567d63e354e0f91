// Calling a service THROUGH THE GATEWAY with the caller's own bearer token, so authd applies the
// caller's scopes and audits the call as theirs: the registry server's call_tool and the CLI's
// `mcpgw call` / `mcpgw tools list` both come here. A new MCP session per call: nothing is
// shared between callers, and no credential of the registry server is ever used.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Project } from '../core/config/project.js';
import type { ServiceDefinition } from '../core/config/service.js';
import { ServiceNotFoundError } from '../core/config/service-files.js';
import { gatewayEndpoint } from '../core/config/service-summary.js';
import { publicUrl } from '../core/config/settings.js';
import { currentAccessToken } from './session.js';
import { CredentialError } from '../core/identity/errors.js';
import { REGISTRY_PATH } from '../core/wire/contract.js';
import { GatewayCallError, NoCredentialError } from './errors.js';

/** Whose token is presented: an agent's own (it may lack one), or the local operator's (MCPGW_TOKEN / login). */
export type CallerCredential = { kind: 'agent'; token?: string } | { kind: 'operator' };

export const GATEWAY_CLIENT_INFO = { name: 'mcpgw-registry-call-tool', version: '0.1.0' };

/** How long a tool may run when the service sets no `limits.timeout`. */
const DEFAULT_CALL_TIMEOUT_MS = 60_000;

export interface GatewayCall {
  /** The service's gateway URL (gatewayEndpoint). */
  url: string;
  service: Pick<ServiceDefinition, 'name' | 'transport' | 'limits'>;
  tool: string;
  arguments: Record<string, unknown>;
  token: string;
}

/** The gateway's JSON answer (authd's JSON-RPC error, or Caddy's small JSON error) inside an SDK error message. */
export function gatewayAnswerOf(message: string): { code?: string; message?: string } {
  const start = message.indexOf('{');
  if (start < 0) return {};
  try {
    const body = JSON.parse(message.slice(start)) as { error?: unknown; message?: string };
    if (typeof body.error === 'string') return { code: body.error, message: body.message };
    const rpc = body.error as { message?: string; data?: { code?: string } } | undefined;
    return { code: rpc?.data?.code, message: rpc?.message };
  } catch {
    return {};
  }
}

/** SDK transport errors carry the HTTP status as `code`; JSON-RPC errors carry negative codes. */
export function toGatewayCallError(err: unknown, call: Pick<GatewayCall, 'url' | 'tool'>): GatewayCallError {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown }).code;
  const status = typeof code === 'number' && code >= 100 && code < 600 ? code : undefined;
  const answer = gatewayAnswerOf(text);
  const what = answer.message ?? text;
  const message = status ? `the gateway answered ${status} for ${call.tool} at ${call.url}: ${what}` : `calling ${call.tool} at ${call.url} failed: ${what}`;
  return new GatewayCallError(status, answer.code, message, typeof code === 'number' && code < 0 ? code : undefined);
}

/** One MCP session with a service through the gateway, closed afterwards; failures become GatewayCallError. */
async function withGatewaySession<T>(call: Omit<GatewayCall, 'tool' | 'arguments'> & { tool: string }, work: (client: Client, timeout: number) => Promise<T>): Promise<T> {
  const url = new URL(call.url);
  const requestInit = { headers: { Authorization: `Bearer ${call.token}` } };
  // The SDK sends requestInit's headers on the SSE stream's GET as well as on every POST.
  const transport = call.service.transport === 'sse' ? new SSEClientTransport(url, { requestInit }) : new StreamableHTTPClientTransport(url, { requestInit });
  const client = new Client(GATEWAY_CLIENT_INFO, { capabilities: {} });
  try {
    await client.connect(transport);
    return await work(client, call.service.limits.timeout ?? DEFAULT_CALL_TIMEOUT_MS);
  } catch (err) {
    throw toGatewayCallError(err, call);
  } finally {
    await client.close().catch(() => {});
  }
}

export function callThroughGateway(call: GatewayCall): Promise<CallToolResult> {
  return withGatewaySession(call, async (client, timeout) => (await client.callTool({ name: call.tool, arguments: call.arguments }, undefined, { timeout })) as CallToolResult);
}

/** tools/list through the gateway, every page: what this caller may see there. */
export function listToolsThroughGateway(call: Omit<GatewayCall, 'tool' | 'arguments'>): Promise<Tool[]> {
  return withGatewaySession({ ...call, tool: 'tools/list' }, async (client, timeout) => {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  });
}

/**
 * The token call_tool presents: an agent's own (from its request to /mcpgw); for the local
 * operator over stdio, MCPGW_TOKEN (e.g. an API key) or the `mcpgw login` credential.
 */
export async function credentialOf(project: Project, caller: CallerCredential, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (caller.kind === 'agent') {
    if (!caller.token) throw new NoCredentialError(`connect to <gateway>${REGISTRY_PATH}/mcp with Authorization: Bearer <token>`);
    return caller.token;
  }
  if (env.MCPGW_TOKEN) return env.MCPGW_TOKEN;
  try {
    return (await currentAccessToken(project.settings)).token;
  } catch (err) {
    if (err instanceof CredentialError) throw new NoCredentialError('run `mcpgw login`, or set MCPGW_TOKEN (e.g. an API key from `mcpgw keys create`)');
    throw err;
  }
}

/**
 * call_tool as the caller. No policy check here on purpose: authd decides (and audits) at
 * <gateway>/<service>, so the answer is exactly what calling the URL directly would give.
 */
export async function callToolAs(project: Project, caller: CallerCredential, server: string, tool: string, args: Record<string, unknown>): Promise<CallToolResult> {
  const svc = serviceOf(project, server);
  const token = await credentialOf(project, caller);
  return callThroughGateway({ url: gatewayEndpoint(publicUrl(project.settings), svc), service: svc, tool, arguments: args, token });
}

/** The tools a service shows this caller through the gateway (authd filters nothing here; the server lists, authd admits). */
export async function listToolsAs(project: Project, caller: CallerCredential, server: string): Promise<{ url: string; tools: Tool[] }> {
  const svc = serviceOf(project, server);
  const token = await credentialOf(project, caller);
  const url = gatewayEndpoint(publicUrl(project.settings), svc);
  return { url, tools: await listToolsThroughGateway({ url, service: svc, token }) };
}

function serviceOf(project: Project, name: string): ServiceDefinition {
  const svc = project.services.find((s) => s.name === name);
  if (!svc) throw new ServiceNotFoundError(name);
  return svc;
}
