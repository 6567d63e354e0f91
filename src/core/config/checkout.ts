// Whether a directory is an mcpgw checkout: it holds mcpgw.yaml, registry.d/ or scopes.yml.
// Every command but `init` needs one, so `-C /typo up` stops instead of creating /typo.
import { existsSync } from 'node:fs';
import type { ProjectPaths } from './paths.js';
import { McpgwError } from '../errors.js';

export class NoCheckoutError extends McpgwError {
  constructor(readonly root: string) {
    super('ERR_NO_CHECKOUT', `${root} is not an mcpgw checkout (no mcpgw.yaml, registry.d/ or scopes.yml${existsSync(root) ? '' : ' — the directory does not exist'})`, 'invalid-input', {
      hint: `create one with \`mcpgw init ${root}\`, or pass -C (or set MCPGW_DIR) to the directory that holds mcpgw.yaml`,
    });
  }
}

export function isCheckout(paths: ProjectPaths): boolean {
  return [paths.settingsFile, paths.registryDir, paths.scopesFile].some((p) => existsSync(p));
}

export function assertCheckout(paths: ProjectPaths): void {
  if (!isCheckout(paths)) throw new NoCheckoutError(paths.root);
}
