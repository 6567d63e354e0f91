// `mcpgw web`: serve the web UI (the registry in a browser) on web.listen; `mcpgw up` starts it.
// The operator gets in without an identity provider through a one-time sign-in link, printed
// at start and by `mcpgw web --link` (a new link for the running UI, which reads it per request).
import type { Command } from 'commander';
import { contextFor } from './context.js';
import { examples } from './help.js';
import { runUntilStopped } from './daemon.js';

export function registerWebCommand(program: Command): void {
  program
    .command('web')
    .description('serve the web UI: services, health, tools, enable/disable, live (the operator signs in with a one-time link; people with the OpenID provider)')
    .option('--listen <host:port>', 'address to listen on (default: web.listen of mcpgw.yaml, 127.0.0.1:8084; port 0 = any free port)')
    .option('--link', 'print a new one-time sign-in link for the running web UI (through the gateway) and exit')
    .option('--no-link', 'do not print a sign-in link at start (`mcpgw up` prints its own)')
    .addHelpText(
      'after',
      examples('mcpgw web', 'mcpgw web --link            # a new sign-in link for the UI `mcpgw up` runs', 'mcpgw up && open http://127.0.0.1:8080/ui/') +
        '\nPeople reach it through the gateway at <public_url>/ui/. A sign-in link works once, for 15 minutes; a new one replaces the last.\n',
    )
    .action(async (opts: { listen?: string; link?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProject();
      const [{ issueSignInLink }, { publicUrl }] = await Promise.all([import('../discovery/web/signin-link.js'), import('../core/config/settings.js')]);
      const linkOnly = cmd.getOptionValueSource('link') === 'cli' && opts.link === true;
      if (linkOnly) {
        const link = await issueSignInLink(project.stateDir, publicUrl(project.settings));
        if (ctx.out.options.json) return ctx.out.json(link);
        ctx.out.line(link.url);
        return ctx.out.info(`one-time sign-in link for the web UI, valid until ${link.expiresAt}`);
      }
      const { startWebServer } = await import('../discovery/web/web-server.js');
      const web = await startWebServer({ root: project.paths.root, listen: opts.listen, log: (line) => ctx.out.info(line) });
      const link = opts.link === false ? undefined : await issueSignInLink(project.stateDir, new URL(web.url).origin);
      if (ctx.out.options.json) ctx.out.json({ url: web.url, port: web.port, public: `${publicUrl(project.settings)}/ui/`, signInLink: link?.url ?? null });
      else {
        ctx.out.line(`web UI listening on ${web.url} — open ${publicUrl(project.settings)}/ui/`);
        if (link) ctx.out.line(`sign in (once, within 15 minutes): ${link.url}`);
      }
      await runUntilStopped(() => web.close());
    });
}
