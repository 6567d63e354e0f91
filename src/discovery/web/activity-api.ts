// The activity panel: calls and denials per service over the last day (for sparklines) and the
// most called tools — only of services the person may see, like the services page itself.
import type { RegistryService } from '../../control/registry/registry-service.js';
import type { Actor } from '../../core/policy/registry-access.js';
import { stateLayout } from '../../core/state/layout.js';
import { serviceActivity, type Activity } from '../../control/usage/activity.js';

export const ACTIVITY_WINDOW_MS = 24 * 3_600_000;
export const ACTIVITY_BUCKETS = 24;

export async function activityFor(registry: RegistryService, person: Actor, now = new Date()): Promise<Activity> {
  const project = registry.project;
  const defined = new Set(project.services.map((s) => s.name));
  const visible = (service: string) => defined.has(service) && registry.maySee(person, service);
  const activity = await serviceActivity(stateLayout(project.stateDir), { windowMs: ACTIVITY_WINDOW_MS, buckets: ACTIVITY_BUCKETS, now });
  return { ...activity, services: activity.services.filter((s) => visible(s.service)), topTools: activity.topTools.filter((t) => visible(t.service)) };
}
