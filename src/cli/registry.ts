// Commands over registry.d: validate, list, show, register, enable, disable, remove, import.
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { loadProjectChecked } from '../core/config/project.js';
import { formatIssue, hasErrors, ConfigInvalidError } from '../core/config/issues.js';
import { renderServiceYaml, type ServiceFields } from '../core/config/service-yaml.js';
import { documentsOf, importService, ImportFormatError } from '../control/registry/import-formats.js';
import { serviceSummary } from '../core/config/service-summary.js';
import { TRANSPORTS } from '../core/config/service.js';
import { contextFor } from './context.js';
import { applyWhenOf, registryFor, reportGateway } from './registry-change-report.js';
import { CliError } from './exit-codes.js';
import { examples } from './help.js';
import { runRegistryImport } from './registry-sync.js';
import { camelCaseKeys, DEFINITION_DATA_FIELDS } from './json-keys.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerRegistryCommands(program: Command): void {
  program
    .command('validate')
    .description('check mcpgw.yaml, registry.d/ and scopes.yml; report every problem with file:line')
    .addHelpText('after', examples('mcpgw validate', 'mcpgw validate --json | jq .issues'))
    .action(async (_opts, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { project, issues } = await loadProjectChecked(ctx.paths.root);
      // Errors end the run through main.ts (every issue, errors and warnings, or the envelope).
      if (hasErrors(issues) || !project) throw new ConfigInvalidError(issues);
      if (ctx.out.options.json) return ctx.out.json({ services: project.services.length, issues });
      for (const issue of issues) ctx.out.warn(formatIssue(issue));
      ctx.out.info(ctx.out.c.green(`✓ ${project.services.length} service(s) valid`));
    });

  program
    .command('list')
    .alias('ls')
    .description('list registered services')
    .option('--enabled', 'only enabled services')
    .option('--disabled', 'only disabled services')
    .option('--tag <tag>', 'only services with this tag (repeatable)', collect)
    .addHelpText('after', examples('mcpgw list', 'mcpgw list --enabled --tag forecast', 'mcpgw list --json'))
    .action(async (opts: { enabled?: boolean; disabled?: boolean; tag?: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProjectForReading();
      const services = project.services
        .filter((s) => (opts.enabled ? s.enabled : true) && (opts.disabled ? !s.enabled : true))
        .filter((s) => !opts.tag || opts.tag.every((t) => s.tags.includes(t)))
        .map(serviceSummary);
      if (ctx.out.options.json) return ctx.out.json({ services, leftOut: project.leftOut });
      if (services.length === 0) return ctx.out.info('no services — add one with `mcpgw register`');
      const { c } = ctx.out;
      ctx.out.table(
        ['NAME', 'PATH', 'ENABLED', 'TRANSPORT', 'TARGET', 'TAGS'],
        services.map((s) => [s.name, s.path, s.enabled ? c.green('yes') : c.dim('no'), s.transport, s.target, s.tags.join(',')]),
      );
    });

  program
    .command('show <name>')
    .description('show one service definition')
    .addHelpText('after', examples('mcpgw show weather', 'mcpgw show weather --json'))
    .action(async (name: string, _opts, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await ctx.loadProjectForReading();
      const svc = project.services.find((s) => s.name === name);
      const leftOut = project.leftOut.find((l) => l.file.replace(/^.*\//, '').replace(/\.ya?ml$/, '') === name);
      if (leftOut) throw new ConfigInvalidError(leftOut.issues);
      if (!svc) throw new CliError(`no service "${name}" in registry.d — see \`mcpgw list\``, undefined, undefined, { code: 'ERR_SERVICE_NOT_FOUND' });
      if (ctx.out.options.json) return ctx.out.json({ ...serviceSummary(svc), definition: camelCaseKeys(svc, DEFINITION_DATA_FIELDS) });
      const s = serviceSummary(svc);
      const { c } = ctx.out;
      ctx.out.line(`${c.bold(s.name)}  ${s.enabled ? c.green('enabled') : c.dim('disabled')}  ${s.file}`);
      ctx.out.line(`  path:        ${s.path}`);
      ctx.out.line(`  transport:   ${s.transport}`);
      ctx.out.line(`  target:      ${s.target}`);
      if (s.description) ctx.out.line(`  description: ${s.description}`);
      if (s.tags.length) ctx.out.line(`  tags:        ${s.tags.join(', ')}`);
      if (svc.tools?.length) ctx.out.line(`  tools:       ${svc.tools.map((t) => t.name).join(', ')}`);
    });

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    program
      .command(`${verb} <name...>`)
      .description(`${verb} services (keeps comments and formatting of the file)`)
      .option('--no-apply', 'do not apply to a running gateway')
      .addHelpText('after', examples(`mcpgw ${verb} weather`, `mcpgw ${verb} weather github --quiet`))
      .action(async (names: string[], _opts, cmd: Command) => {
        const ctx = contextFor(cmd);
        // Every name is checked before any file is written: `disable weather nope` changes nothing.
        const { registry, operator } = await registryFor(ctx);
        const outcome = await registry.setEnabled(operator, names, enabled, { apply: applyWhenOf(cmd) });
        const results = outcome.changes;
        for (const r of results) ctx.out.info(r.changed ? `${r.service}: ${verb}d` : `${r.service}: already ${verb}d`);
        const gateway = reportGateway(ctx, outcome.gateway);
        if (ctx.out.options.json) ctx.out.json({ changed: results.filter((r) => r.changed).map((r) => r.service), unchanged: results.filter((r) => !r.changed).map((r) => r.service), gateway });
      });
  }

  program
    .command('remove <name>')
    .alias('rm')
    .description('delete a service definition file')
    .option('--no-apply', 'do not apply to a running gateway')
    .addHelpText('after', examples('mcpgw remove weather'))
    .action(async (name: string, _opts, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { registry, operator } = await registryFor(ctx);
      const outcome = await registry.remove(operator, [name], { apply: applyWhenOf(cmd) });
      const { file } = outcome.changes[0]!;
      ctx.out.info(`removed ${file}`);
      const gateway = reportGateway(ctx, outcome.gateway);
      if (ctx.out.options.json) ctx.out.json({ removed: name, file, gateway });
    });

  program
    .command('register')
    .description('add a service to registry.d (flags for CI; prompts for what is missing on a TTY)')
    .option('--name <name>', 'service name: lowercase letters, digits, dashes')
    .option('--path <path>', 'gateway path (default /<name>)')
    .option('--upstream <url>', 'upstream MCP URL (repeat to load-balance)', collect)
    .option('--command <cmdline>', 'stdio server command line, e.g. "npx -y @modelcontextprotocol/server-memory"')
    .addOption(new Option('--transport <kind>', 'transport').choices([...TRANSPORTS]))
    .option('--description <text>', 'what the service offers')
    .option('--tag <tag>', 'tag (repeatable)', collect)
    .option('--header <name=value>', 'header sent upstream; secrets by reference: "Authorization=Bearer ${env:TOKEN}" (repeatable)', collect)
    .option('--disabled', 'register it disabled')
    .option('--force', 'overwrite an existing definition')
    .option('--no-apply', 'do not apply to a running gateway')
    .addHelpText(
      'after',
      examples(
        'mcpgw register --name weather --upstream http://127.0.0.1:9000/mcp --transport streamable-http --description "Forecasts by city" --tag forecast',
        'mcpgw register --name memory --command "npx -y @modelcontextprotocol/server-memory"',
        'mcpgw register            # on a terminal: asks for each field',
      ),
    )
    .action(async (opts: RegisterOptions, cmd: Command) => {
      const ctx = contextFor(cmd);
      const answered = ctx.interactive ? await (await import('./register-prompts.js')).promptForMissing(opts) : opts;
      const fields = registerFields(answered);
      const { registry, operator } = await registryFor(ctx);
      const outcome = await registry.register(operator, [{ fields }], { replace: opts.force, apply: applyWhenOf(cmd) });
      const { file } = outcome.changes[0]!;
      ctx.out.info(`wrote ${file}`);
      const gateway = reportGateway(ctx, outcome.gateway);
      if (ctx.out.options.json) ctx.out.json({ registered: fields.name, file, gateway });
    });

  program
    .command('import [files...]')
    .description('migrate service definitions from the reference system JSON or an MCP Registry server.json — or read them from a registry (--registry)')
    .option('--registry <url>', 'read servers from a service speaking the MCP Registry API (the official registry, another mcpgw)')
    .option('--search <text>', 'with --registry: only servers whose name holds this')
    .option('--since <time>', 'with --registry: only servers updated after this RFC 3339 time')
    .option('--token <reference>', 'with --registry: bearer token by reference, ${env:NAME} or ${file:PATH}')
    .option('--force', 'overwrite existing definitions')
    .option('--dry-run', 'print the YAML instead of writing it')
    .option('--no-apply', 'do not apply to a running gateway')
    .option('--name <name>', 'registry.d name for the imported service (one service only; the path follows it)')
    .option('--path <path>', 'gateway path for the imported service (one service only)')
    .option('--var <name=value>', 'value for a URL template variable or package argument (repeatable)', collectVar, {})
    .addHelpText('after', examples('mcpgw import old-registry/servers/*.json', 'mcpgw import server.json --dry-run', 'mcpgw import mcpgw.json --name old-registry --path /old-registry', 'mcpgw import server.json --var host=api.example.com', 'mcpgw import --registry https://registry.modelcontextprotocol.io --search weather --dry-run', "mcpgw import --registry https://mcp.east.example.com --token '${env:EAST_TOKEN}'"))
    .action(async (files: string[], opts: { force?: boolean; dryRun?: boolean; name?: string; path?: string; var: Record<string, string>; registry?: string; search?: string; since?: string; token?: string }, cmd: Command) => {
      if (opts.registry) {
        if (files.length) throw new CliError('give files or --registry, not both');
        if (opts.name || opts.path) throw new CliError('--name and --path rename one file\'s service; with --registry, narrow with --search and rename the file after');
        return runRegistryImport(cmd, { ...opts, registry: opts.registry });
      }
      if (opts.search || opts.since || opts.token) throw new CliError('--search, --since and --token go with --registry URL');
      if (!files.length) throw new CliError('name the files to import, or --registry URL');
      const ctx = contextFor(cmd);
      const imported: { file: string; fields: ServiceFields }[] = [];
      for (const file of files) {
        let data: unknown;
        try {
          data = JSON.parse(await readFile(file, 'utf8'));
        } catch (err) {
          throw new CliError(`${file}: cannot read JSON (${(err as Error).message})`);
        }
        const documents = documentsOf(data);
        if ((opts.name || opts.path) && (files.length > 1 || documents.length > 1)) {
          throw new CliError('--name and --path rename one service: import that file on its own');
        }
        for (const [i, doc] of documents.entries()) {
          const where = documents.length > 1 ? `${file}[${i}]` : file;
          try {
            imported.push({ file: where, fields: importService(doc, { name: opts.name, path: opts.path, vars: opts.var }) });
          } catch (err) {
            if (err instanceof ImportFormatError) throw new CliError(`${where}: ${err.message}`);
            throw err;
          }
        }
      }
      const comment = (file: string) => `Imported by mcpgw from ${file}`;
      if (opts.dryRun) {
        if (!ctx.out.options.json) for (const { file, fields } of imported) ctx.out.line(`# ${fields.name}.yaml\n${renderServiceYaml(fields, comment(file))}`);
        if (ctx.out.options.json) ctx.out.json({ imported: imported.map(({ file, fields }) => ({ file, service: fields.name })) });
        return;
      }
      // One transaction: every definition validates (and none exists, unless --force) or none is written.
      const definitions = imported.map(({ file, fields }) => ({ fields, comment: comment(file) }));
      const { registry, operator } = await registryFor(ctx);
      const outcome = await registry.register(operator, definitions, { replace: opts.force, apply: applyWhenOf(cmd) });
      const results = imported.map(({ file }, i) => ({ file, service: outcome.changes[i]!.service, written: outcome.changes[i]!.file }));
      for (const r of results) ctx.out.info(`${r.file} → ${r.written}`);
      const gateway = reportGateway(ctx, outcome.gateway);
      if (ctx.out.options.json) ctx.out.json({ imported: results, gateway });
    });
}

function collectVar(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliError(`--var ${value}: expected NAME=VALUE, e.g. --var host=api.example.com`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

interface RegisterOptions {
  name?: string;
  path?: string;
  upstream?: string[];
  command?: string;
  transport?: string;
  description?: string;
  tag?: string[];
  header?: string[];
  disabled?: boolean;
  force?: boolean;
}
export type { RegisterOptions };

function registerFields(opts: RegisterOptions): ServiceFields & { name: string } {
  if (!opts.name) throw new CliError('--name is required (or run on a terminal to be asked)');
  if (!opts.upstream?.length && !opts.command) throw new CliError('--upstream or --command is required');
  const headers: Record<string, string> = {};
  for (const h of opts.header ?? []) {
    const eq = h.indexOf('=');
    if (eq <= 0) throw new CliError(`--header "${h}" must be name=value`);
    headers[h.slice(0, eq).trim()] = h.slice(eq + 1).trim();
  }
  const upstream = opts.upstream?.length === 1 ? opts.upstream[0] : opts.upstream;
  return {
    name: opts.name,
    path: opts.path,
    description: opts.description ?? '',
    tags: opts.tag ?? [],
    enabled: !opts.disabled,
    transport: opts.transport,
    upstream,
    command: opts.command,
    headers: Object.keys(headers).length ? headers : undefined,
  };
}

export { ConfigInvalidError };
