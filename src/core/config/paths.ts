// Where a checkout keeps its files. Kept apart from the loaders so it costs nothing to import.
import { join, resolve } from 'node:path';

export interface ProjectPaths {
  root: string;
  settingsFile: string;
  registryDir: string;
  scopesFile: string;
}

export function projectPaths(root: string): ProjectPaths {
  const abs = resolve(root);
  return {
    root: abs,
    settingsFile: join(abs, 'mcpgw.yaml'),
    registryDir: join(abs, 'registry.d'),
    scopesFile: join(abs, 'scopes.yml'),
  };
}
