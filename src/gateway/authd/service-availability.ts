// Whether a defined service takes requests at all: `enabled: false` and a failing
// `health.gate` are decided here, per request, instead of in Caddy's config — replacing that
// config closes every open stream in Caddy 2.6. Pure; the answers are the documented 503 bodies.
import type { ServiceDefinition } from '../../core/config/service.js';
import type { AuthdAnswer } from './authorizer.js';

export type Unavailability = 'service_disabled' | 'service_unhealthy';

export function unavailabilityOf(service: Pick<ServiceDefinition, 'name' | 'enabled'>, gated: ReadonlySet<string>): Unavailability | undefined {
  if (!service.enabled) return 'service_disabled';
  if (gated.has(service.name)) return 'service_unhealthy';
  return undefined;
}

const MESSAGES: Record<Unavailability, (name: string) => string> = {
  service_disabled: (name) => `service "${name}" is disabled on this gateway`,
  service_unhealthy: (name) => `service "${name}" failed its health check and is withheld (health.gate)`,
};

/** The same answer for every caller (decided before identity), so it reveals nothing about tokens. */
export function unavailableAnswer(name: string, why: Unavailability): AuthdAnswer {
  return {
    status: 503,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: why, service: name, message: MESSAGES[why](name) }),
  };
}
