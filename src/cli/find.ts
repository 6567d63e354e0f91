// `mcpgw find "<query>"` and `mcpgw index [--rebuild]`. Parsing and printing only; the search
// modules are imported when these commands run, so other commands do not pay for them.
import type { Command } from 'commander';
import { contextFor, type CliContext } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { examples } from './help.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface FindOptions {
  topK: string;
  server?: string[];
  tag?: string[];
  explain?: boolean;
  token?: string;
  rebuild?: boolean;
}

function describeUpdate(ctx: CliContext, update: { kind: string; services: string[] }): void {
  if (update.kind === 'full') ctx.out.info(`index rebuilt (${update.services.length} service(s)): definitions or snapshots changed`);
  else if (update.kind === 'incremental') ctx.out.info(`index updated for ${update.services.join(', ')}: definitions or snapshots changed`);
}

export function registerFindCommands(program: Command): void {
  program
    .command('find <query>')
    .description('find tools by meaning across every registered server')
    .option('-k, --top-k <n>', 'how many results', '5')
    .option('--server <name>', 'only tools of this server (repeatable)', collect)
    .option('--tag <tag>', 'only servers with this tag (repeatable)', collect)
    .option('--explain', 'show which fields and words matched, and both scores')
    .option('--token <token>', 'filter for this bearer token (default: your `mcpgw login`, if any)')
    .option('--rebuild', 'rebuild the whole index first')
    .addHelpText('after', examples('mcpgw find "stock prices"', 'mcpgw find "will it rain tomorrow" --top-k 3 --json', 'mcpgw find "open a ticket" --server jira --explain'))
    .action(async (query: string, opts: FindOptions, cmd: Command) => {
      const ctx = contextFor(cmd);
      const topK = Number(opts.topK);
      if (!Number.isInteger(topK) || topK < 1) throw new CliError(`--top-k must be a positive whole number, not "${opts.topK}"`);
      const [{ loadSettings }, { callerToken, callerOfToken }, search] = await Promise.all([import('../core/config/project.js'), import('../discovery/search/caller-scope.js'), import('../discovery/search/find-for-caller.js')]);
      const settings = (await loadSettings(ctx.paths)).value;
      const cannotTell = (err: Error) => {
        throw new CliError(`cannot tell who you are: ${err.message}`, EXIT.DENIED, 'log in again with `mcpgw login`, or pass a valid --token', { code: 'ERR_IDENTITY' });
      };
      const token = settings ? await callerToken(settings, opts.token).catch(cannotTell) : opts.token;
      const request = { query, topK, servers: opts.server, tags: opts.tag, explain: opts.explain };
      let subject: string | undefined;
      let found;
      if (token === undefined) found = await search.findToolsAsOperator(ctx.paths.root, request, { rebuild: opts.rebuild });
      else {
        // The same path as the registry server's find_tools and the web UI's search. A read-only
        // command: a registry.d file that does not validate is left out (and named).
        const { RegistryService } = await import('../control/registry/registry-service.js');
        const registry = RegistryService.of(await ctx.loadProjectForReading());
        const caller = await callerOfToken(registry.project, token).catch(cannotTell);
        subject = caller.subject;
        found = await search.findToolsFor(registry, caller, request, { rebuild: opts.rebuild });
      }
      describeUpdate(ctx, found.update);
      for (const warning of found.warnings) ctx.out.warn(warning);
      if (ctx.out.options.json) return ctx.out.json({ query: found.query, results: found.results });
      if (found.results.length === 0) return ctx.out.info(`no tools match "${query}"${subject ? ` that ${subject} may call` : ''}: no word of it (or a spelling or meaning close to one) is in any tool's text`);
      const { c } = ctx.out;
      for (const r of found.results) {
        ctx.out.line(`${c.bold(`${r.server}/${r.tool}`)}  ${c.dim(r.score.toFixed(3))}  ${r.url}${r.confidence === 'low' ? `  ${c.dim('(low confidence: matched by meaning only)')}` : ''}`);
        if (r.description) ctx.out.line(`  ${r.description.split('\n')[0]}`);
        if (r.explain) {
          const matched = Object.entries(r.explain.matched).map(([field, words]) => `${field}: ${words.join(' ')}`).join('; ');
          ctx.out.line(c.dim(`  text ${r.explain.textScore.toFixed(3)}  vector ${r.explain.vectorScore?.toFixed(3) ?? '-'}  matched ${matched || 'by meaning only'}`));
        }
      }
    });

  program
    .command('index')
    .description('bring the search index up to date (find does this on its own when files changed)')
    .option('--rebuild', 'rebuild everything, e.g. after fixing the embedding model')
    .addHelpText('after', examples('mcpgw index', 'mcpgw index --rebuild --json'))
    .action(async (opts: { rebuild?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { openIndex } = await import('../discovery/search/index-update.js');
      const { documentCount } = await import('../discovery/search/search-index.js');
      const opened = await openIndex(ctx.paths.root, { rebuild: opts.rebuild });
      for (const warning of opened.warnings) ctx.out.warn(warning);
      const summary = { update: opened.update.kind, services: opened.update.services, documents: documentCount(opened.index), embedder: opened.index.manifest.embedder };
      if (ctx.out.options.json) return ctx.out.json(summary);
      ctx.out.line(`${summary.update === 'none' ? 'index up to date' : `index ${summary.update === 'full' ? 'rebuilt' : `updated (${summary.services.join(', ')})`}`}: ${summary.documents} document(s), embedder ${summary.embedder}`);
    });
}
