// Rules every import format shares: naming and renaming (--name/--path, reserved names), template
// variables filled from --var, and credentials turned into ${env:…} references to fill in.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { McpgwError } from '../../core/errors.js';
import { RESERVED_PATHS } from '../../core/wire/contract.js';

export class ImportFormatError extends McpgwError {
  constructor(message: string) {
    super('ERR_IMPORT_FORMAT', message, 'invalid-input');
  }
}

export interface ImportOptions {
  /** --name: the registry.d name (the path follows it unless --path is given). */
  name?: string;
  /** --path: the gateway path. */
  path?: string;
  /** --var NAME=VALUE: values for URL template variables and package arguments. */
  vars?: Record<string, string>;
  /** Whether a runtime command (npx, uvx) exists here; defaults to a PATH lookup. */
  hasRuntime?: (command: string) => boolean;
}

export type Json = Record<string, unknown>;

/** The name of mcpgw's own registry server: an imported service may not take it. */
export const RESERVED_NAME = 'mcpgw';

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** A registry.d-safe name from any label: "io.github.acme/Weather Server" → "weather-server". */
export function slugify(label: string): string {
  const last = label.split('/').filter(Boolean).pop() ?? label;
  const slug = last.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug || 'service';
}

/** Name and path after --name/--path; refuses the reserved name and paths with the way out. */
export function identity(suggested: { name: string; path: string }, opts: ImportOptions): { name: string; path: string } {
  const name = opts.name ?? suggested.name;
  const path = (opts.path ?? (opts.name ? `/${opts.name}` : suggested.path)).replace(/\/+$/, '') || `/${name}`;
  const way = `import it under another name: --name ${suggested.name}-imported --path /${suggested.name}-imported`;
  if (name === RESERVED_NAME) throw new ImportFormatError(`service name "${name}" is reserved for mcpgw's own registry server — ${way}`);
  const clash = RESERVED_PATHS.find((r) => path === r || path.startsWith(`${r}/`));
  if (clash) throw new ImportFormatError(`path "${path}" is reserved for mcpgw itself (${clash}) — ${way}`);
  return { name, path };
}

/** An environment variable name for a credential of a service: ("you-com", "token") → YOU_COM_TOKEN. */
export function envName(service: string, what: string): string {
  return `${service}_${what}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** "$VAR" and "${VAR}" in a value become "${env:VAR}"; existing ${env:…}/${file:…} stay. */
export function shellVarsToReferences(value: string): string {
  return value.replace(/\$\{(?!env:|file:)([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced, bare) => `\${env:${braced ?? bare}}`);
}

/** Fill {name} template variables from --var; refuses naming every missing variable. */
export function fillTemplate(what: string, template: string, vars: Record<string, string> = {}, described: Json = {}): string {
  const missing = [...new Set([...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!))].filter((v) => vars[v] === undefined);
  if (missing.length) {
    const detail = missing.map((v) => {
      const d = (described[v] ?? {}) as Json;
      const notes = [str(d.description), str(d.default) ? `default ${d.default}` : undefined].filter(Boolean).join(', ');
      return notes ? `${v} (${notes})` : v;
    });
    throw new ImportFormatError(`${what} ${template} has template variables without values: ${detail.join(', ')} — pass ${missing.map((v) => `--var ${v}=…`).join(' ')}`);
  }
  return template.replace(/\{([^}]+)\}/g, (_m, v: string) => vars[v]!);
}

/** Whether an executable is on PATH (npx, uvx). */
export function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}
