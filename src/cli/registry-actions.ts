// What the registry commands do (validate, list, show, register, enable, disable, remove,
// import): call the registry service, print. Loaded only when one of them runs.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { loadProjectChecked } from '../core/config/project.js';
import { formatIssue, hasErrors, ConfigInvalidError } from '../core/config/issues.js';
import { renderServiceYaml, type ServiceFields } from '../core/config/service-yaml.js';
import { documentsOf, importService, ImportFormatError } from '../control/registry/import-formats.js';
import { serviceSummary } from '../core/config/service-summary.js';
import { contextFor } from './context.js';
import { applyWhenOf, registryFor, reportGateway } from './registry-change-report.js';
import { CliError } from './exit-codes.js';
import { camelCaseKeys, DEFINITION_DATA_FIELDS } from './json-keys.js';
import type { RegisterOptions } from './registry.js';
import { runRegistryImport } from './registry-sync.js';

export async function validate(_opts: unknown, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const { project, issues } = await loadProjectChecked(ctx.paths.root);
  // Errors end the run through main.ts (every issue, errors and warnings, or the envelope).
  if (hasErrors(issues) || !project) throw new ConfigInvalidError(issues);
  if (ctx.out.options.json) return ctx.out.json({ services: project.services.length, issues });
  for (const issue of issues) ctx.out.warn(formatIssue(issue));
  ctx.out.info(ctx.out.c.green(`✓ ${project.services.length} service(s) valid`));
}

export async function list(opts: { enabled?: boolean; disabled?: boolean; tag?: string[] }, cmd: Command): Promise<void> {
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
    // A federation peer's service says so where the target is: it is the peer's (read-only here).
    services.map((s) => [s.name, s.path, s.enabled ? c.green('yes') : c.dim('no'), s.transport, s.remote ? `peer ${s.remote}: ${s.target}` : s.target, s.tags.join(',')]),
  );
}

export async function show(name: string, _opts: unknown, cmd: Command): Promise<void> {
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
}

export async function setEnabled(verb: 'enable' | 'disable', enabled: boolean, names: string[], cmd: Command): Promise<void> {
    const ctx = contextFor(cmd);
    // Every name is checked before any file is written: `disable weather nope` changes nothing.
    const { registry, operator } = await registryFor(ctx);
    const outcome = await registry.setEnabled(operator, names, enabled, { apply: applyWhenOf(cmd) });
    const results = outcome.changes;
    for (const r of results) ctx.out.info(r.changed ? `${r.service}: ${verb}d` : `${r.service}: already ${verb}d`);
    const gateway = reportGateway(ctx, outcome.gateway);
    if (ctx.out.options.json) ctx.out.json({ changed: results.filter((r) => r.changed).map((r) => r.service), unchanged: results.filter((r) => !r.changed).map((r) => r.service), gateway });
  }

export async function remove(name: string, _opts: unknown, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const { registry, operator } = await registryFor(ctx);
  const outcome = await registry.remove(operator, [name], { apply: applyWhenOf(cmd) });
  const { file } = outcome.changes[0]!;
  ctx.out.info(`removed ${file}`);
  const gateway = reportGateway(ctx, outcome.gateway);
  if (ctx.out.options.json) ctx.out.json({ removed: name, file, gateway });
}

export async function register(opts: RegisterOptions, cmd: Command): Promise<void> {
  const ctx = contextFor(cmd);
  const answered = ctx.interactive ? await (await import('./register-prompts.js')).promptForMissing(opts) : opts;
  const fields = registerFields(answered);
  const { registry, operator } = await registryFor(ctx);
  const outcome = await registry.register(operator, [{ fields }], { replace: opts.force, apply: applyWhenOf(cmd) });
  const { file } = outcome.changes[0]!;
  ctx.out.info(`wrote ${file}`);
  const gateway = reportGateway(ctx, outcome.gateway);
  if (ctx.out.options.json) ctx.out.json({ registered: fields.name, file, gateway });
}

export async function importDefinitions(files: string[], opts: { force?: boolean; dryRun?: boolean; name?: string; path?: string; var: Record<string, string>; registry?: string; search?: string; since?: string; token?: string }, cmd: Command): Promise<void> {
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
}

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
