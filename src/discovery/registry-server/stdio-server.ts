// `mcpgw serve`: the registry MCP server over stdio for a local client (an IDE, an agent on the
// operator's machine). The caller is the local operator, who can edit the files anyway: every
// tool and right is available; call_tool presents MCPGW_TOKEN or the `mcpgw login` token.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { LOCAL_OPERATOR } from './caller.js';
import { createRegistryMcpServer } from './registry-mcp-server.js';

export async function serveRegistryStdio(root: string): Promise<{ close(): Promise<void> }> {
  const server = await createRegistryMcpServer({ root, callerOf: () => LOCAL_OPERATOR }, LOCAL_OPERATOR);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  return { close: () => server.close() };
}
