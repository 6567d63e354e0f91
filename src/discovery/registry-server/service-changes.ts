// Registry changes for holders of registry rights: the same registry.d edits as the CLI
// (validated, atomic, comments kept), then applied to the running gateway, so a route changes
// while the agent waits. Every change checks the caller's right against the current scopes.yml.
import { loadProject, type Project } from '../../core/config/project.js';
import { setServiceEnabled, writeService } from '../../control/registry/service-edit.js';
import { renderServiceYaml, type ServiceFields } from '../../core/config/service-yaml.js';
import { applyIfRunning } from '../../control/caddy/apply.js';
import { probeServices, selectServices } from '../../control/probe/index.js';
import { healthView, type HealthView } from './catalogue.js';
import { requireRight, type Caller } from './caller.js';

export interface ApplyOutcome {
  /**
   * true: pushed (or already in sync); false: no gateway runs, the next `mcpgw up` applies it;
   * 'after-answer': applied right after this answer (see `ApplyScheduler`).
   */
  applied: boolean | 'after-answer';
  warnings: string[];
  /** Caddy refused or failed: the files changed, the routes did not. */
  error?: string;
}

/**
 * Runs the apply once the answer is on its way. Needed when the answer itself travels through
 * the Caddy being reconfigured: Caddy 2.6 cancels requests in flight on the config it replaces,
 * so applying before answering would turn the caller's answer into a 502.
 */
export type ApplyScheduler = (apply: () => Promise<void>) => void;

export interface ChangeOutcome {
  service: string;
  changed: boolean;
  /** The file written, relative to the checkout. */
  file?: string;
  gateway: ApplyOutcome;
}

export async function applyChange(root: string): Promise<ApplyOutcome> {
  const report = await applyIfRunning(await loadProject(root));
  if (!report) return { applied: false, warnings: [] };
  const failed = report.results.find((r) => r.error)?.error;
  return { applied: !failed, warnings: report.warnings, ...(failed ? { error: `${failed.message}${failed.hint ? ` — ${failed.hint}` : ''}` } : {}) };
}

async function applyNowOrLater(root: string, schedule?: ApplyScheduler): Promise<ApplyOutcome> {
  if (!schedule) return applyChange(root);
  schedule(async () => {
    const outcome = await applyChange(root);
    if (outcome.error) throw new Error(`applying the change failed: ${outcome.error}`);
  });
  return { applied: 'after-answer', warnings: [] };
}

/** Fields of register_service, as written in a registry.d file. */
export type RegisterFields = Pick<ServiceFields, 'name' | 'path' | 'description' | 'tags' | 'enabled' | 'transport' | 'upstream' | 'command' | 'headers' | 'metadata'>;

export async function registerService(project: Project, caller: Caller, fields: RegisterFields, replace = false, schedule?: ApplyScheduler): Promise<ChangeOutcome> {
  requireRight(project.scopes, caller, 'register');
  const comment = `Registered through the registry MCP server by ${caller.subject}`;
  const file = await writeService(project.paths, fields.name, renderServiceYaml(fields, comment), replace);
  return { service: fields.name, changed: true, file: file.slice(project.paths.root.length + 1), gateway: await applyNowOrLater(project.paths.root, schedule) };
}

export async function setEnabled(project: Project, caller: Caller, name: string, enabled: boolean, schedule?: ApplyScheduler): Promise<ChangeOutcome> {
  requireRight(project.scopes, caller, enabled ? 'enable' : 'disable');
  const changed = await setServiceEnabled(project.paths, name, enabled);
  return { service: name, changed, gateway: await applyNowOrLater(project.paths.root, schedule) };
}

/** Probe one service now (held to the `register` right: it rewrites what the registry knows). */
export async function refreshService(project: Project, caller: Caller, name: string): Promise<{ service: string; health: HealthView; tools: string[]; toolsChanged: boolean }> {
  requireRight(project.scopes, caller, 'register');
  const [result] = await probeServices(project, selectServices(project, [name]));
  return { service: name, health: healthView(result!.health), tools: (result!.tools ?? []).map((t) => t.name), toolsChanged: Boolean(result!.toolChange) };
}
