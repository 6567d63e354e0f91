// The tools dialog and the tool search box: a service's usable tools with what the person may
// call, and `mcpgw find`'s engine filtered by the person's scopes.
import type { RegistryService } from '../../control/registry/registry-service.js';
import type { Actor } from '../../core/policy/registry-access.js';
import { stateLayout } from '../../core/state/layout.js';
import { usableTools } from '../../core/state/tool-approvals.js';
import { openIndex } from '../search/index-update.js';
import { findTools, type FoundTool } from '../search/find-tools.js';

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

/** Same engine as `mcpgw find`; only tools the person may call are returned. */
export async function searchTools(registry: RegistryService, person: Actor, query: string, server?: string, topK = 10): Promise<ToolSearch> {
  const opened = await openIndex(registry.project.paths.root);
  const found = await findTools(opened, query, { topK, server: server ? [server] : undefined, allow: (server, tool) => registry.mayCallTool(person, server, tool) });
  return { query, results: found.results, warnings: [...opened.warnings, ...found.warnings] };
}
