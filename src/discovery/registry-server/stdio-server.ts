// `mcpgw serve`: the registry MCP server over stdio for a local client (an IDE, an agent on the
// operator's machine). The caller is the local operator, who can edit the files anyway: every
// tool and right is available; call_tool presents MCPGW_TOKEN or the `mcpgw login` token.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { RegistryService } from '../../control/registry/registry-service.js';
import { LOCAL_OPERATOR } from './caller.js';
import { createRegistryMcpServer } from './registry-mcp-server.js';

export async function serveRegistryStdio(root: string): Promise<{ close(): Promise<void> }> {
  const registry = await RegistryService.open(root);
  const server = createRegistryMcpServer({ registry, callerOf: () => LOCAL_OPERATOR }, LOCAL_OPERATOR);
  await server.connect(new StdioServerTransport());
  return {
    close: async () => {
      await server.close();
      await registry.close();
    },
  };
}
