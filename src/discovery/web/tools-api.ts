// The tools dialog and the tool search box: a service's usable tools with what the person may
// call, and the one tool search (discovery/search/find-for-caller) as this person.
import type { RegistryService } from '../../control/registry/registry-service.js';
import type { Actor } from '../../core/policy/registry-access.js';
import { stateLayout } from '../../core/state/layout.js';
import { usableTools } from '../../core/state/tool-approvals.js';
import type { FoundTool } from '../search/find-tools.js';
import { findToolsFor } from '../search/find-for-caller.js';

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

export async function toolsOf(registry: RegistryService, person: Actor, name: string): Promise<ServiceTools> {
  const svc = registry.visibleService(person, name);
  const usable = await usableTools(stateLayout(registry.project.stateDir), svc);
  return {
    service: name,
    tools: usable.tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description ?? '',
      inputSchema: t.inputSchema,
      allowed: registry.mayCallTool(person, name, t.name),
    })),
    withheld: usable.withheld.map((w) => w.name),
  };
}

export interface ToolSearch {
  query: string;
  results: Omit<FoundTool, 'explain'>[];
  warnings: string[];
}

/** The same path as `mcpgw find` and find_tools: only tools the person may be shown and call. */
export async function searchTools(registry: RegistryService, person: Actor, query: string, server?: string, topK = 10): Promise<ToolSearch> {
  const found = await findToolsFor(registry, person, { query, topK, servers: server ? [server] : undefined });
  return { query, results: found.results, warnings: found.warnings };
}
