// The tools dialog and the tool search box: a service's usable tools with what the person may
// call, and `mcpgw find`'s engine filtered by the person's scopes.
import { loadProject } from '../../core/config/project.js';
import { ServiceNotFoundError } from '../../core/config/service-files.js';
import { isToolAllowed, registryRights } from '../../core/policy/policy.js';
import { stateLayout } from '../../core/state/layout.js';
import { usableTools } from '../../core/state/tool-approvals.js';
import { openIndex } from '../search/index-update.js';
import { findTools, type FoundTool } from '../search/find-tools.js';
import { mayUseServer } from './registry-view.js';

export interface ToolView {
  name: string;
  title?: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** scopes.yml lets this person call it through the gateway. */
  allowed: boolean;
}

export interface ServiceTools {
  service: string;
  tools: ToolView[];
  /** Tools the server offers that wait for `mcpgw tools approve` (pinned services). */
  withheld: string[];
}

export async function toolsOf(root: string, groups: readonly string[], name: string): Promise<ServiceTools> {
  const project = await loadProject(root);
  const svc = project.services.find((s) => s.name === name);
  const visible = svc && (registryRights(project.scopes, groups).includes('list') || mayUseServer(project.scopes, groups, name));
  if (!svc || !visible) throw new ServiceNotFoundError(name);
  const usable = await usableTools(stateLayout(project.stateDir), svc);
  return {
    service: name,
    tools: usable.tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description ?? '',
      inputSchema: t.inputSchema,
      allowed: isToolAllowed(project.scopes, groups, name, t.name),
    })),
    withheld: usable.withheld.map((w) => w.name),
  };
}

export interface ToolSearch {
  query: string;
  results: Omit<FoundTool, 'explain'>[];
  warnings: string[];
}

/** Same engine as `mcpgw find`; only tools the person may call are returned. */
export async function searchTools(root: string, groups: readonly string[], query: string, server?: string, topK = 10): Promise<ToolSearch> {
  const [project, opened] = await Promise.all([loadProject(root), openIndex(root)]);
  const found = await findTools(opened, query, { topK, server: server ? [server] : undefined, allow: (server, tool) => isToolAllowed(project.scopes, groups, server, tool) });
  return { query, results: found.results, warnings: [...opened.warnings, ...found.warnings] };
}
