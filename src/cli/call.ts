// `mcpgw call <service> <tool>` and `mcpgw tools list <service>`: a tool call through the
// gateway with the caller's own credential (--key, MCPGW_TOKEN, or the `mcpgw login` token), so
// authd decides and audits it like any agent's. The MCP SDK loads only when a call is made.
import type { Command } from 'commander';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { contextFor, type CliContext } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { examples } from './help.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface CredentialOptions {
  key?: string;
}

/** `--arg k=v` (repeatable; a value that parses as JSON is taken as JSON: n=3, on=true, tags=["a"]) and a JSON object. */
export function toolArguments(pairs: readonly string[], json: string | undefined): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (err) {
      throw new CliError(`the arguments are not JSON: ${(err as Error).message}`, EXIT.INVALID, `quote them for the shell: mcpgw call SERVICE TOOL --json '{"message":"hi"}'`, { code: 'ERR_BAD_ARGUMENTS' });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliError('the arguments must be one JSON object, e.g. {"message":"hi"}', EXIT.INVALID, undefined, { code: 'ERR_BAD_ARGUMENTS' });
    Object.assign(args, parsed);
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--arg "${pair}" must be name=value`, EXIT.INVALID, 'e.g. --arg message=hello --arg count=3', { code: 'ERR_BAD_ARGUMENTS' });
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      /* a plain string */
    }
    args[pair.slice(0, eq)] = value;
  }
  return args;
}

/** Whose token: --key (an API key or any bearer token) first, else MCPGW_TOKEN, else the `mcpgw login` token. */
const callerOf = (opts: CredentialOptions) => (opts.key ? ({ kind: 'agent', token: opts.key } as const) : ({ kind: 'operator' } as const));

/** A refusal by the gateway keeps its meaning in the exit code: 401/403 denied (4), the rest a runtime failure (2). */
async function throughGateway<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const e = err as { code?: string; status?: number; message: string; hint?: string; gatewayCode?: string };
    if (e.code === 'ERR_NO_CREDENTIAL') throw new CliError(e.message, EXIT.DENIED, 'pass --key <api-key> (from `mcpgw keys create`), set MCPGW_TOKEN, or run `mcpgw login`', { code: e.code });
    if (e.code === 'ERR_GATEWAY_CALL') {
      const denied = e.status === 401 || e.status === 403;
      throw new CliError(e.message, denied ? EXIT.DENIED : EXIT.RUNTIME, e.hint, { code: e.gatewayCode ? `ERR_GATEWAY_${e.gatewayCode.toUpperCase()}` : e.code, data: { status: e.status ?? null, gatewayCode: e.gatewayCode ?? null } });
    }
    throw err;
  }
}

function printResult(ctx: CliContext, result: CallToolResult): void {
  const blocks = result.content ?? [];
  for (const block of blocks) {
    if (block.type === 'text') ctx.out.line(block.text);
    else if (block.type === 'resource') ctx.out.line('text' in block.resource ? String(block.resource.text) : `[resource ${block.resource.uri}]`);
    else if (block.type === 'resource_link') ctx.out.line(`[resource ${block.uri}]`);
    else ctx.out.line(`[${block.type} ${'mimeType' in block ? block.mimeType : ''}, ${'data' in block ? Buffer.byteLength(String(block.data), 'base64') : 0} bytes]`);
  }
  if (blocks.length === 0 && result.structuredContent) ctx.out.line(JSON.stringify(result.structuredContent, null, 2));
}

export function registerCallCommands(program: Command): void {
  // `tools` (diff, approve) is the probe's group; listing through the gateway joins it.
  const tools = program.commands.find((c) => c.name() === 'tools') ?? program.command('tools');
  program
    .command('call <service> <tool> [arguments]')
    .description("call a service's tool through the gateway as you (your API key or login), and print its answer")
    .option('--arg <name=value>', 'an argument (repeatable); a value that is valid JSON is taken as JSON (3, true, ["a"])', collect)
    .option('--key <api-key>', 'the credential to present (an API key from `mcpgw keys create`, or any bearer token); default $MCPGW_TOKEN, else your `mcpgw login`')
    .addHelpText(
      'after',
      examples(
        'mcpgw call everything echo --arg message=hello',
        `mcpgw call everything get-sum --json '{"a": 2, "b": 3}'      # arguments as JSON; the answer as the --json envelope`,
        'MCPGW_TOKEN=$(mcpgw keys create --name me --group mcp-admins --quiet) mcpgw call everything echo --arg message=hi',
      ) + '\nExit codes: 0 the tool answered, 1 bad arguments or unknown service, 2 the tool answered an error or the gateway failed, 4 not allowed (401/403).\n',
    )
    .action(async (service: string, tool: string, json: string | undefined, opts: CredentialOptions & { arg?: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const args = toolArguments(opts.arg ?? [], json);
      const project = await ctx.loadProject();
      const { callToolAs } = await import('../client/gateway-call.js');
      const result = await throughGateway(() => callToolAs(project, callerOf(opts), service, tool, args));
      if (result.isError) {
        if (!ctx.out.options.json) printResult(ctx, result);
        throw new CliError(`${service}/${tool} answered an error`, EXIT.RUNTIME, undefined, { code: 'ERR_TOOL_ERROR', data: result });
      }
      if (ctx.out.options.json) return ctx.out.json(result);
      printResult(ctx, result);
    });

  tools
    .command('list <service>')
    .alias('ls')
    .description('the tools a service offers you through the gateway (tools/list with your credential)')
    .option('--key <api-key>', 'the credential to present (default $MCPGW_TOKEN, else your `mcpgw login`)')
    .addHelpText('after', examples('mcpgw tools list everything', 'mcpgw tools list everything --json | jq ".data.tools[].name"'))
    .action(async (service: string, opts: CredentialOptions, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const { listToolsAs } = await import('../client/gateway-call.js');
      const { url, tools: listed } = await throughGateway(() => listToolsAs(project, callerOf(opts), service));
      if (ctx.out.options.json) return ctx.out.json({ service, url, tools: listed });
      if (listed.length === 0) return ctx.out.info(`${service} offers no tools at ${url}`);
      ctx.out.table(['TOOL', 'DESCRIPTION'], listed.map((t) => [t.name, (t.description ?? '').split('\n')[0]!.slice(0, 100)]));
    });
}
