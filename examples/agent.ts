// A small agent loop that uses a tool it was never given: it connects only to the gateway's
// registry (<gateway>/mcpgw/mcp), asks find_tools for the task, picks the top result, fills its
// arguments from the task sentence, and calls it through the gateway with call_tool.
//
// No language model: "picking" is taking the best-ranked tool, and "filling arguments" is a
// simple rule — text after a colon (or in quotes) for string parameters, numbers in the
// sentence, in order, for numeric ones. Replace pickTool/argumentsFor with a model call for
// real tasks; the loop around them stays the same.
//
//   MCPGW_GATEWAY=http://127.0.0.1:8080 MCPGW_TOKEN=$(mcpgw token) \
//     npx tsx examples/agent.ts "echo a message back: hello from an agent"
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

interface FoundTool {
  server: string;
  tool: string;
  description: string;
  inputSchema: { properties?: Record<string, { type?: string; enum?: unknown[] }>; required?: string[] };
  url: string;
  score: number;
}

type ToolResult = { isError?: boolean; content?: { type: string; text?: string }[]; structuredContent?: Record<string, unknown> };

const step = (n: number, text: string) => console.log(`[${n}] ${text}`);
const textOf = (result: ToolResult) => (result.content ?? []).map((c) => c.text ?? `(${c.type})`).join('\n');

/** The words of the task that are data rather than instruction: after a colon, or in quotes. */
function payloadOf(task: string): string {
  const quoted = /["“']([^"”']+)["”']/.exec(task);
  if (quoted) return quoted[1]!;
  const colon = task.indexOf(':');
  return colon >= 0 ? task.slice(colon + 1).trim() : task;
}

function pickTool(results: FoundTool[]): FoundTool | undefined {
  return results[0];
}

/** Required parameters from the sentence; optional ones are left to the tool's defaults. */
function argumentsFor(tool: FoundTool, task: string): Record<string, unknown> {
  const numbers = (task.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
  const args: Record<string, unknown> = {};
  for (const name of tool.inputSchema.required ?? []) {
    const schema = tool.inputSchema.properties?.[name] ?? {};
    if (schema.enum?.length) args[name] = schema.enum.find((v) => task.includes(String(v))) ?? schema.enum[0];
    else if (schema.type === 'number' || schema.type === 'integer') args[name] = numbers.shift() ?? 0;
    else if (schema.type === 'boolean') args[name] = true;
    else args[name] = payloadOf(task);
  }
  return args;
}

async function main(): Promise<number> {
  const task = process.argv.slice(2).join(' ');
  const gateway = (process.env.MCPGW_GATEWAY ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  const token = process.env.MCPGW_TOKEN;
  if (!task || !token) {
    console.error('usage: MCPGW_GATEWAY=<url> MCPGW_TOKEN=<token> tsx examples/agent.ts "<task sentence>"');
    return 1;
  }
  const registry = new Client({ name: 'mcpgw-example-agent', version: '0.1.0' });
  await registry.connect(new StreamableHTTPClientTransport(new URL(`${gateway}/mcpgw/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  try {
    step(1, `task: ${task}`);
    const found = (await registry.callTool({ name: 'find_tools', arguments: { query: task, top_k: 3 } })) as ToolResult;
    const results = ((found.structuredContent?.results ?? []) as FoundTool[]);
    step(2, `find_tools → ${results.map((r) => `${r.server}/${r.tool} (${r.score})`).join(', ') || 'nothing I may call'}`);
    const tool = pickTool(results);
    if (!tool) return 2;
    const args = argumentsFor(tool, task);
    step(3, `picked ${tool.server}/${tool.tool} at ${tool.url} with ${JSON.stringify(args)}`);
    const result = (await registry.callTool({ name: 'call_tool', arguments: { server: tool.server, tool: tool.tool, arguments: args } })) as ToolResult;
    step(4, `${result.isError ? 'error' : 'result'}: ${textOf(result)}`);
    return result.isError ? 3 : 0;
  } finally {
    await registry.close();
  }
}

process.exitCode = await main();
