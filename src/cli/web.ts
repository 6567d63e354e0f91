// `mcpgw web`: serve the web UI (the registry in a browser) on web.listen; `mcpgw up` starts it.
import type { Command } from 'commander';
import { publicUrl } from '../core/config/settings.js';
import { contextFor } from './context.js';
import { examples } from './help.js';
import { runUntilStopped } from './daemon.js';

export function registerWebCommand(program: Command): void {
  program
    .command('web')
    .description('serve the web UI: services, health, tools, enable/disable, live (people sign in with the OpenID provider)')
    .option('--listen <host:port>', 'address to listen on (default: web.listen of mcpgw.yaml, 127.0.0.1:8084; port 0 = any free port)')
    .addHelpText('after', examples('mcpgw web', 'mcpgw up && open http://127.0.0.1:8080/ui/') + '\nPeople reach it through the gateway at <public_url>/ui/.\n')
    .action(async (opts: { listen?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const { startWebServer } = await import('../discovery/web/web-server.js');
      const web = await startWebServer({ root: project.paths.root, listen: opts.listen, log: (line) => ctx.out.info(line) });
      if (ctx.out.options.json) ctx.out.json({ url: web.url, port: web.port, public: `${publicUrl(project.settings)}/ui/` });
      else ctx.out.line(`web UI listening on ${web.url} — open ${publicUrl(project.settings)}/ui/`);
      await runUntilStopped(() => web.close());
    });
}
