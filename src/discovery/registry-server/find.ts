// find_tools: the search module's query, limited to enabled services and to tools the caller
// may call, so an agent is never offered a tool the gateway would refuse it.
import type { Project } from '../../core/config/project.js';
import { openIndex } from '../search/index-update.js';
import { findTools, type FindResult } from '../search/find-tools.js';
import { mayCallTool } from '../../core/policy/registry-access.js';
import type { Caller } from './caller.js';
import { popularityPrior } from '../search/popularity-prior.js';

export interface FindRequest {
  query: string;
  topK?: number;
  server?: string;
  tags?: string[];
}

export async function findToolsFor(project: Project, caller: Caller, request: FindRequest): Promise<FindResult> {
  const opened = await openIndex(project.paths.root);
  const enabled = new Set(project.services.filter((s) => s.enabled).map((s) => s.name));
  const found = await findTools(opened, request.query, {
    topK: request.topK,
    server: request.server ? [request.server] : undefined,
    tags: request.tags,
    allow: (server, tool) => enabled.has(server) && mayCallTool(project.scopes, caller, server, tool),
    popularity: await popularityPrior(opened),
  });
  return { ...found, warnings: [...opened.warnings, ...found.warnings] };
}
