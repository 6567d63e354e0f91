// Reads what the UI shows — the registry service's current project and the prober's state —
// for one person.
import type { Project } from '../../core/config/project.js';
import type { RegistryService } from '../../control/registry/registry-service.js';
import { gatewayStatus } from '../../control/probe/service-status.js';
import type { Actor } from '../../core/policy/registry-access.js';
import { registryView, type RegistryView } from './registry-view.js';

export interface RegistryState {
  project: Project;
  viewFor(who: Actor): RegistryView;
}

/** One snapshot, then each person's view from it (the live channel fans out). */
export async function loadRegistryState(registry: RegistryService): Promise<RegistryState> {
  const { project } = registry;
  const { services: statuses } = await gatewayStatus(project);
  return { project, viewFor: (who) => registryView(project.scopes, who, project.services, statuses) };
}
