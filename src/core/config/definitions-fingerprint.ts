// "The next request sees the change": after a registry.d edit, the one who wrote it waits until
// the running authd decides with the same definitions. Both sides fingerprint them this way;
// authd reports its own on /healthz.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { ServiceDefinition } from './service.js';

/** What authd decides with, minus where it was read from (`file` differs by checkout path). */
export function definitionsFingerprint(services: readonly ServiceDefinition[]): string {
  const comparable = [...services].sort((a, b) => a.name.localeCompare(b.name)).map(({ file: _file, ...rest }) => rest);
  return createHash('sha256').update(canonicalJson(comparable)).digest('hex').slice(0, 16);
}

/** The same for scopes.yml's policy: a node is ready when its authd decides with the files' policy. */
export function policyFingerprint(scopes: unknown): string {
  return createHash('sha256').update(canonicalJson(scopes)).digest('hex').slice(0, 16);
}
