// `mcpgw federation refresh|list`: the peer gateways of mcpgw.yaml federation.peers. Parses and
// prints; reading peers is control/federation, their services are core/config/federation.
import type { Command } from 'commander';
import { contextFor } from './context.js';
import { examples } from './help.js';
import { applyWhenOf, registryFor, reportGateway } from './registry-change-report.js';
import { CliError, EXIT } from './exit-codes.js';

export function registerFederationCommands(program: Command): void {
  const federation = program.command('federation').description('peer gateways (mcpgw.yaml federation.peers): their services, read-only here');
  federation
    .command('refresh [peer]')
    .description("read each peer's catalogue (its /v0.1, with this gateway's credential there) and apply the routes")
    .option('--no-apply', 'do not apply to a running gateway')
    .addHelpText('after', examples('mcpgw federation refresh', 'mcpgw federation refresh east --json'))
    .action(async (only: string | undefined, _opts: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const [{ loadProject }, { refreshPeers }] = await Promise.all([import('../core/config/project.js'), import('../control/federation/peer-catalogue.js')]);
      const project = await loadProject(ctx.paths.root);
      if (only && !project.settings.federation.peers.some((p) => p.name === only)) throw new CliError(`no federation peer "${only}" in mcpgw.yaml`, EXIT.INVALID, `peers: ${project.settings.federation.peers.map((p) => p.name).join(', ') || 'none'}`);
      const refreshed = await refreshPeers(project, only);
      for (const r of refreshed) {
        if (r.error) ctx.out.warn(`${r.peer} (${r.url}): ${r.error.message}${r.error.hint ? ` — ${r.error.hint}` : ''}`);
        else ctx.out.info(`${r.peer}: ${r.servers} service(s) from ${r.url}`);
      }
      const { registry } = await registryFor(ctx);
      const gateway = applyWhenOf(cmd) === 'skip' ? undefined : reportGateway(ctx, await registry.apply('now'));
      if (ctx.out.options.json) ctx.out.json({ peers: refreshed, ...(gateway ? { gateway } : {}) });
      if (refreshed.some((r) => r.error)) process.exitCode = EXIT.RUNTIME;
    });
  federation
    .command('list')
    .description("the peers' services this gateway offers (name here, path, peer)")
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { loadProjectForReading } = await import('../core/config/project.js');
      const { project } = await loadProjectForReading(ctx.paths.root);
      const remote = project.services.filter((s) => s.federation).map((s) => ({ name: s.name, path: s.path, peer: s.federation!.peer, upstream: s.upstreams[0]!, enabled: s.enabled }));
      if (ctx.out.options.json) return ctx.out.json({ services: remote });
      for (const s of remote) ctx.out.line(`${s.name}\t${s.path}\t${s.peer}\t${s.upstream}`);
      if (!remote.length) ctx.out.info('no peer services yet: mcpgw federation refresh');
    });
}
