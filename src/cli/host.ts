// `mcpgw host`: run the stdio host — every enabled `command:` service bridged to Streamable
// HTTP and legacy SSE on stdio_host.listen. `mcpgw up` starts it; alone it is for debugging.
import type { Command } from 'commander';
import { contextFor } from './context.js';
import { examples } from './help.js';
import { runUntilStopped } from './daemon.js';

export function registerHostCommand(program: Command): void {
  program
    .command('host')
    .description('serve the stdio (command:) services over Streamable HTTP and SSE at /<name>/mcp and /<name>/sse')
    .option('--listen <host:port>', 'address to listen on (default: stdio_host.listen of mcpgw.yaml; port 0 = any free port)')
    .option('--no-watch', 'do not follow registry.d edits (SIGHUP still reloads)')
    .addHelpText(
      'after',
      examples(
        'mcpgw host',
        'mcpgw host --listen 127.0.0.1:0 --json      # prints the bound URL',
        'kill -HUP <pid>                             # re-read registry.d now',
      ) + '\nLogs of each server (stderr, restarts) go to <state_dir>/logs/<name>.log.\n',
    )
    .action(async (opts: { listen?: string; watch?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const { startStdioHost } = await import('../gateway/stdio-host/stdio-host.js');
      const host = await startStdioHost(project, { listen: opts.listen, watch: opts.watch, log: (line) => ctx.out.info(line) });
      const services = host.status().map((s) => s.service);
      if (ctx.out.options.json) ctx.out.json({ url: host.url, port: host.port, services });
      else ctx.out.line(`stdio host listening on ${host.url} (${services.length ? services.join(', ') : 'no stdio services yet'})`);
      await runUntilStopped(() => host.close(), () => void host.reload());
    });
}
