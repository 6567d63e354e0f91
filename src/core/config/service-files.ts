// Where a service's definition lives (registry.d/<name>.yaml, or .yml when that exists), and the
// two errors every front door reports about it: no such service, or one that already exists.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectPaths } from './paths.js';
import { SERVICE_NAME } from './service.js';
import { McpgwError } from '../errors.js';

export class ServiceNotFoundError extends McpgwError {
  constructor(readonly service: string) {
    super('ERR_SERVICE_NOT_FOUND', `no service "${service}" in registry.d — see \`mcpgw list\``, 'not-found');
  }
}

export class ServiceExistsError extends McpgwError {
  constructor(readonly service: string, readonly file: string) {
    super('ERR_SERVICE_EXISTS', `service "${service}" already exists (${file})`, 'exists', { hint: 'pick another name, or overwrite it on purpose (`mcpgw register --force`)' });
  }
}

export async function fileExists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** The file of a service: registry.d/<name>.yaml, or .yml when that is what exists. */
export async function serviceFile(paths: ProjectPaths, name: string): Promise<string> {
  if (!SERVICE_NAME.test(name)) throw new ServiceNotFoundError(name);
  const yml = join(paths.registryDir, `${name}.yml`);
  return (await fileExists(yml)) ? yml : join(paths.registryDir, `${name}.yaml`);
}
