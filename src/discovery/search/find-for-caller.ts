// "Find for a caller": the one path of every tool search — `mcpgw find`, the registry server's
// find_tools, the web UI's search box. The registry service decides what the caller may be shown
// (RegistryService.findableTools: enabled, visible, callable per scopes.yml); this runs the query.
import type { RegistryService } from '../../control/registry/registry-service.js';
import type { Actor } from '../../core/policy/registry-access.js';
import { findTools, type FindResult } from './find-tools.js';
import { openIndex, type IndexUpdate } from './index-update.js';
import { popularityPrior } from './popularity-prior.js';

export interface ToolQuery {
  query: string;
  /** How many results (default 5). */
  topK?: number;
  /** Only tools of these services. */
  servers?: readonly string[];
  /** Only tools of services carrying all of these tags. */
  tags?: readonly string[];
  /** Say which fields and words matched, and both scores. */
  explain?: boolean;
}

export interface CallerFindResult extends FindResult {
  /** What bringing the index up to date did first. */
  update: IndexUpdate;
}

export async function findToolsFor(registry: RegistryService, caller: Actor, request: ToolQuery, options: { rebuild?: boolean } = {}): Promise<CallerFindResult> {
  const opened = await openIndex(registry.project.paths.root, { rebuild: options.rebuild });
  const found = await findTools(opened, request.query, {
    topK: request.topK,
    server: request.servers?.length ? [...request.servers] : undefined,
    tags: request.tags?.length ? [...request.tags] : undefined,
    explain: request.explain,
    allow: registry.findableTools(caller),
    popularity: await popularityPrior(opened),
  });
  return { ...found, warnings: [...opened.warnings, ...found.warnings], update: opened.update };
}
