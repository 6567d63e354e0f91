// Registry changes as the registry MCP server answers them: the registry service does the work
// (rights, validation, writing, applying); this shapes its outcome for an agent.
import type { ApplyOutcome } from '../../control/registry/serialized-apply.js';
import type { ChangeOutcome } from '../../control/registry/registry-service.js';
import type { ServiceFields } from '../../core/config/service-yaml.js';
import { healthView, type HealthView } from './catalogue.js';
import type { Caller } from './caller.js';
import type { RegistryContext } from './registry-context.js';

/** Fields of register_service, as written in a registry.d file. */
export type RegisterFields = Pick<ServiceFields, 'name' | 'path' | 'description' | 'tags' | 'enabled' | 'transport' | 'upstream' | 'command' | 'headers' | 'metadata'>;

export interface ChangeAnswer {
  service: string;
  changed: boolean;
  /** The file written, relative to the checkout. */
  file?: string;
  /** `applied`: true, false (no gateway runs, or `error`), or 'after-answer'. */
  gateway: Pick<ApplyOutcome, 'applied' | 'message' | 'warnings' | 'error'>;
}

function answer(outcome: ChangeOutcome): ChangeAnswer {
  const [change] = outcome.changes;
  const { applied, message, warnings, error } = outcome.gateway;
  return { service: change!.service, changed: change!.changed, ...(change!.changed ? { file: change!.file } : {}), gateway: { applied, message, warnings, ...(error ? { error } : {}) } };
}

export async function registerService(ctx: RegistryContext, caller: Caller, fields: RegisterFields, replace = false): Promise<ChangeAnswer> {
  const comment = `Registered through the registry MCP server by ${caller.subject}`;
  return answer(await ctx.registry.register(caller, [{ fields, comment }], { replace, apply: ctx.applyWhen?.() }));
}

export async function setEnabled(ctx: RegistryContext, caller: Caller, name: string, enabled: boolean): Promise<ChangeAnswer> {
  return answer(await ctx.registry.setEnabled(caller, [name], enabled, { apply: ctx.applyWhen?.() }));
}

/** Probe one service now (needs `register`, the refresh right: see core/policy/registry-access). */
export async function refreshService(ctx: RegistryContext, caller: Caller, name: string): Promise<{ service: string; health: HealthView; tools: string[]; toolsChanged: boolean }> {
  const result = await ctx.registry.refresh(caller, name);
  return { service: name, health: healthView(result.health), tools: (result.tools ?? []).map((t) => t.name), toolsChanged: Boolean(result.toolChange) };
}
