// "Find for a caller": the one path of every tool search — `mcpgw find`, the registry server's
// find_tools, the web UI's search box. The registry service decides what the caller may be shown
// (RegistryService.findableTools: enabled, visible, callable per scopes.yml); this runs the query.
import type { RegistryService } from '../../control/registry/registry-service.js';
import type { Actor } from '../../core/policy/registry-access.js';
import { findTools, type FindResult, type ToolPredicate } from './find-tools.js';
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

export interface FindOptions {
  /** Rebuild the whole index first. */
  rebuild?: boolean;
}

/** The tools `caller` may be shown that match the query, best first. */
export function findToolsFor(registry: RegistryService, caller: Actor, request: ToolQuery, options: FindOptions = {}): Promise<CallerFindResult> {
  return runQuery(registry.project.paths.root, registry.findableTools(caller), request, options);
}

/**
 * The same search for the local operator at the checkout (`mcpgw find` without a token or a
 * login): the operator may see and call every service, and the index holds only enabled
 * services' tools, so nothing is filtered and registry.d is not loaded (a cold find stays fast).
 * test/discovery/search/find-for-caller.test.ts checks it equals findToolsFor as LOCAL_OPERATOR.
 */
export function findToolsAsOperator(root: string, request: ToolQuery, options: FindOptions = {}): Promise<CallerFindResult> {
  return runQuery(root, undefined, request, options);
}

async function runQuery(root: string, allow: ToolPredicate | undefined, request: ToolQuery, options: FindOptions): Promise<CallerFindResult> {
  const opened = await openIndex(root, { rebuild: options.rebuild });
  const found = await findTools(opened, request.query, {
    topK: request.topK,
    server: request.servers?.length ? [...request.servers] : undefined,
    tags: request.tags?.length ? [...request.tags] : undefined,
    explain: request.explain,
    allow,
    popularity: await popularityPrior(opened),
  });
  return { ...found, warnings: [...opened.warnings, ...found.warnings], update: opened.update };
}
