// Reads what the UI shows from the files and the state dir, for one person.
import { loadProject, type Project } from '../../core/config/project.js';
import { gatewayStatus } from '../../control/probe/service-status.js';
import { registryView, type RegistryView } from './registry-view.js';

export interface RegistryState {
  project: Project;
  viewFor(groups: readonly string[]): RegistryView;
}

/** Load once, then build each person's view from the same snapshot (the live channel fans out). */
export async function loadRegistryState(root: string): Promise<RegistryState> {
  const project = await loadProject(root);
  const { services: statuses } = await gatewayStatus(project);
  return { project, viewFor: (groups) => registryView(project.scopes, groups, project.services, statuses) };
}
