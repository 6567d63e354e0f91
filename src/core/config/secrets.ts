// Secrets are written by reference (`${env:NAME}`, `${file:PATH}`) and resolved only when a
// value is needed at run time, so definitions in git never hold a credential.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { McpgwError } from '../errors.js';

const REFERENCE = /\$\{(env|file):([^}]+)\}/g;

export function hasSecretReference(value: string): boolean {
  return new RegExp(REFERENCE.source).test(value);
}

export interface SecretReference {
  kind: 'env' | 'file';
  /** The variable name, or the path as written. */
  ref: string;
}

/** Every `${env:…}` / `${file:…}` reference in a value, in order. */
export function secretReferences(value: string): SecretReference[] {
  return [...value.matchAll(new RegExp(REFERENCE.source, 'g'))].map((m) => ({ kind: m[1] as 'env' | 'file', ref: m[2]! }));
}

/** Header names whose value is a credential by nature. */
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|.*token.*|.*secret.*|.*password.*|.*key)$/i;

/** Values that look like a credential: long random strings, bearer tokens, known key prefixes. */
const SECRET_LOOKING = [
  /^(bearer|basic|token)\s+\S{8,}/i,
  /^(sk|pk|rk|ghp|gho|ghs|github_pat|glpat|xox[abposr]|AKIA|ASIA|AIza)[-_A-Za-z0-9]{8,}/,
  /^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, // a JWT
  /^[A-Za-z0-9+/_=-]{32,}$/, // long opaque string
];

/**
 * A literal (non-reference) value that is, or looks like, a secret.
 * Returns a reason or undefined when the value is acceptable.
 */
export function literalSecretReason(name: string, value: string): string | undefined {
  const literal = value.replace(new RegExp(REFERENCE.source, 'g'), '');
  if (literal === value && SENSITIVE_HEADER.test(name) && value.trim() !== '') {
    return `header "${name}" carries a credential written inline`;
  }
  for (const word of literal.split(/\s+/).filter(Boolean)) {
    const candidate = literal.match(/^(bearer|basic|token)\s+/i) ? literal : word;
    if (SECRET_LOOKING.some((re) => re.test(candidate))) return `value looks like an inline secret`;
  }
  return undefined;
}

export class SecretResolutionError extends McpgwError {
  constructor(message: string) {
    super('ERR_SECRET_UNRESOLVED', message, 'invalid-input');
  }
}

/** Replace every reference with its value. `baseDir` anchors relative `${file:…}` paths. */
export function resolveSecrets(value: string, baseDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(new RegExp(REFERENCE.source, 'g'), (_m, kind: string, ref: string) => {
    if (kind === 'env') {
      const v = env[ref];
      if (v === undefined) throw new SecretResolutionError(`environment variable ${ref} is not set (referenced as \${env:${ref}})`);
      return v;
    }
    const path = isAbsolute(ref) ? ref : resolve(baseDir, ref);
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      throw new SecretResolutionError(`secret file ${path} cannot be read (referenced as \${file:${ref}})`);
    }
  });
}

export function resolveSecretMap(
  values: Record<string, string> | undefined,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, resolveSecrets(v, baseDir, env)]));
}
