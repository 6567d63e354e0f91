// `mcpgw serve`: the registry as an MCP server — over stdio for a local client, or over HTTP
// (Streamable HTTP and legacy SSE) behind the gateway's /mcpgw route, as `mcpgw up` runs it.
import type { Command } from 'commander';
import { contextFor } from './context.js';
import { examples } from './help.js';
import { runUntilStopped } from './daemon.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the registry MCP server (find_tools, call_tool, list_services …): stdio, or --http behind the gateway at /mcpgw/')
    .option('--http', 'serve Streamable HTTP (/mcp) and legacy SSE (/sse) on registry_server.listen, for Caddy\'s /mcpgw route')
    .option('--listen <host:port>', 'with --http: address to listen on (default: registry_server.listen of mcpgw.yaml; port 0 = any free port)')
    .addHelpText(
      'after',
      examples(
        'mcpgw serve                 # stdio; e.g. { "command": "mcpgw", "args": ["-C", "/srv/gw", "serve"] } in an MCP client',
        'mcpgw serve --http          # what `mcpgw up` runs; agents connect to <gateway>/mcpgw/mcp',
      ) + '\nOver stdio the caller is the local operator (all tools and rights); call_tool presents MCPGW_TOKEN or the `mcpgw login` token.\n',
    )
    .action(async (opts: { http?: boolean; listen?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      // Imported here: the server pulls in the SDK server and search, which other commands do not need.
      if (!opts.http) {
        const { serveRegistryStdio } = await import('../discovery/registry-server/stdio-server.js');
        // stdout carries the protocol: nothing else may be printed there.
        const server = await serveRegistryStdio(project.paths.root);
        process.stdin.once('end', () => void server.close());
        return;
      }
      const { startRegistryHttpServer } = await import('../discovery/registry-server/http-server.js');
      const server = await startRegistryHttpServer({
        root: project.paths.root,
        listen: opts.listen ?? project.settings.registry_server.listen,
        log: (line) => process.stderr.write(`registry-server: ${line}\n`),
      });
      ctx.out.line(`registry MCP server listening on ${server.url} (Streamable HTTP /mcp, SSE /sse)`);
      await runUntilStopped(() => server.close());
    });
}
