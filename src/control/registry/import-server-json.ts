// The official MCP Registry's server.json (current camelCase schema and the 2025-05 seed's snake_case)
// → registry.d fields: a remote becomes `upstream`, an npm/PyPI package a stdio `command`.
import type { ServiceFields } from '../../core/config/service-yaml.js';
import { REGISTRY_META } from '../../core/wire/contract.js';
import { envName, fillTemplate, identity, ImportFormatError, onPath, slugify, str, type ImportOptions, type Json } from './import-rules.js';

/** A field under its current camelCase name or the 2025-05 seed's snake_case one. */
function field(o: Json, camel: string, snake: string): unknown {
  return o[camel] ?? o[snake];
}

function remoteType(r: Json): string | undefined {
  return str(field(r, 'type', 'transport_type'));
}

/** Header declarations become values: literal non-secret values stay, everything else a ${env:…} to fill in. */
function headersOf(remote: Json, name: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const h of Array.isArray(remote.headers) ? (remote.headers as Json[]) : []) {
    const header = str(h.name);
    if (!header) continue;
    const value = str(h.value);
    const secret = h.isSecret === true || h.is_secret === true;
    out[header] = value && !secret && !/\{/.test(value) ? value : `\${env:${envName(name, header)}}`;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Runtime per package registry; OCI and others are refused with the reason. */
const RUNTIMES: Record<string, { command: string; run: (id: string, version?: string) => string[] }> = {
  npm: { command: 'npx', run: (id, v) => ['npx', '-y', v ? `${id}@${v}` : id] },
  pypi: { command: 'uvx', run: (id, v) => ['uvx', v ? `${id}@${v}` : id] },
};

function argumentsOf(pkg: Json, vars: Record<string, string>, label: string): string[] {
  const out: string[] = [];
  for (const a of (field(pkg, 'packageArguments', 'package_arguments') ?? []) as Json[]) {
    const hint = str(field(a, 'valueHint', 'value_hint')) ?? str(a.name)?.replace(/^-+/, '');
    const value = str(a.value) ?? str(a.default) ?? (hint ? vars[hint] : undefined);
    const required = field(a, 'isRequired', 'is_required') === true;
    if (value === undefined) {
      if (required) throw new ImportFormatError(`server.json "${label}" package argument ${hint ?? '(unnamed)'} needs a value — pass --var ${hint ?? 'NAME'}=…`);
      continue;
    }
    if (a.type === 'named' && str(a.name)) out.push(String(a.name));
    out.push(value);
  }
  return out;
}

type Launch = { command: ServiceFields['command'] } | { refusal: string };

function commandOf(pkg: Json, label: string, opts: ImportOptions): Launch {
  const type = (str(field(pkg, 'registryType', 'registry_name')) ?? 'unknown').toLowerCase();
  const id = str(field(pkg, 'identifier', 'name'));
  if (type === 'oci' || type === 'docker') return { refusal: `${type} package ${id ?? ''}: mcpgw does not run containers — start it yourself and register its URL` };
  const runtime = RUNTIMES[type];
  if (!runtime || !id) return { refusal: `${type} package ${id ?? ''}: not supported (npm and PyPI are)` };
  const transport = str((pkg.transport as Json | undefined)?.type) ?? 'stdio';
  if (transport !== 'stdio') return { refusal: `${type} package ${id}: runs as a ${transport} server — start it yourself and register its URL` };
  if (!(opts.hasRuntime ?? onPath)(runtime.command)) return { refusal: `${type} package ${id}: "${runtime.command}" is not on PATH here` };
  const runtimeArgs = ((field(pkg, 'runtimeArguments', 'runtime_arguments') ?? []) as Json[]).flatMap((a) => [str(a.name), str(a.value)].filter((x): x is string => !!x));
  const [bin, ...rest] = runtime.run(id, str(pkg.version));
  const argv = [bin!, ...runtimeArgs, ...rest, ...argumentsOf(pkg, opts.vars ?? {}, label)];
  const env: Record<string, string> = {};
  for (const e of (field(pkg, 'environmentVariables', 'environment_variables') ?? []) as Json[]) {
    const n = str(e.name);
    if (!n) continue;
    const value = str(e.value);
    const secret = e.isSecret === true || e.is_secret === true;
    env[n] = value && !secret && !/[{$]/.test(value) ? value : `\${env:${n}}`;
  }
  return { command: Object.keys(env).length ? { run: argv, env } : argv };
}

export function fromServerJson(doc: Json, opts: ImportOptions): ServiceFields {
  // A registry API entry wraps the document: { server: {...}, _meta: {...} }; both _meta are kept.
  const wrapped = doc.server && typeof doc.server === 'object';
  const inner = (wrapped ? doc.server : doc) as Json;
  const meta: Json = { ...((inner._meta as Json | undefined) ?? {}), ...(wrapped ? ((doc._meta as Json | undefined) ?? {}) : {}) };
  // Publisher-provided data (an mcpgw registry's `metadata:`) goes back to the top of metadata;
  // another mcpgw's own fields give the whole description and the tags the schema has no place for.
  const published = (meta[REGISTRY_META.publisher] ?? {}) as Json;
  const peer = (meta[REGISTRY_META.mcpgw] ?? {}) as Json;
  delete meta[REGISTRY_META.publisher];
  const d: Json = { ...inner, ...(Object.keys(meta).length ? { _meta: meta } : {}) };
  if (!Object.keys(meta).length) delete d._meta;
  const label = str(d.name) ?? 'service';
  const { name, path } = identity({ name: slugify(label), path: `/${slugify(label)}` }, opts);
  const remotes = Array.isArray(d.remotes) ? (d.remotes as Json[]) : [];
  const packages = Array.isArray(d.packages) ? (d.packages as Json[]) : [];
  const remote = remotes.find((r) => remoteType(r) === 'streamable-http') ?? remotes.find((r) => remoteType(r) === 'sse');
  const metadata: Json = { ...published, registry_name: label };
  for (const [k, v] of Object.entries(d)) if (!['name', 'description', '$schema', 'remotes', 'packages'].includes(k)) metadata[k] = v;
  const tags = Array.isArray(peer.tags) ? peer.tags.filter((t): t is string => typeof t === 'string') : [];
  const base = { name, path, description: str(peer.description) ?? str(d.description) ?? '', tags, enabled: true };
  if (remote && str(remote.url)) {
    const upstream = fillTemplate(`server.json "${label}" remote URL`, String(remote.url), opts.vars, (remote.variables ?? {}) as Json);
    const others = remotes.filter((r) => r !== remote);
    if (others.length) metadata.remotes = others;
    if (packages.length) metadata.packages = packages;
    return { ...base, transport: remoteType(remote)!, upstream, headers: headersOf(remote, name), metadata };
  }
  const refusals: string[] = [];
  for (const pkg of packages) {
    const launch = commandOf(pkg, label, opts);
    if ('refusal' in launch) {
      refusals.push(launch.refusal);
      continue;
    }
    const others = packages.filter((p) => p !== pkg);
    if (others.length) metadata.packages = others;
    if (remotes.length) metadata.remotes = remotes;
    return { ...base, transport: 'stdio', command: launch.command, metadata };
  }
  const why = refusals.length ? refusals.join('; ') : 'it has neither a streamable-http/sse remote nor a package';
  throw new ImportFormatError(`server.json "${label}" cannot be imported: ${why}`);
}
