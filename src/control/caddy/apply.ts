// `mcpgw apply`: discover SSE endpoints, render the files (pure), compare with what each Caddy
// runs, push with If-Match, verify. All or nothing per target: Caddy rolls back a config it cannot load.
import type { Project } from '../../core/config/project.js';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import { stateLayout } from '../../core/state/layout.js';
import { adminListenOf, CaddyAdminClient } from './admin-client.js';
import { canonicalJson } from '../../core/config/canonical-json.js';
import type { CaddyConfig } from './caddy-json.js';
import { CaddyError, CaddyNotOursError } from './errors.js';
import { checkoutId } from '../../core/state/checkout-identity.js';
import { changedSinceUp, restartWarning } from '../processes/restart-needed.js';
import { renderForProject } from './render-input.js';
import { planRoutes, type RoutePlan } from './route-plan.js';
import { discoverSseEndpoints } from './sse-endpoint-cache.js';

export interface ApplyOptions {
  /** Admin API addresses; default the one in mcpgw.yaml. */
  targets?: string[];
  dryRun?: boolean;
  /** Push even to a Caddy another checkout (or no mcpgw) configured: take it over. */
  adopt?: boolean;
}

export interface TargetResult {
  target: string;
  plan?: RoutePlan;
  pushed: boolean;
  error?: CaddyError;
}

export interface ApplyReport {
  results: TargetResult[];
  warnings: string[];
  /** Every target already matched the files (or, in a dry run, would need no change). */
  inSync: boolean;
  ok: boolean;
}

/**
 * Whose config a Caddy runs: ours (our root `@id`), nobody's (no config, or only an admin
 * section — nothing to lose), or someone else's: another checkout's `@id`, or none at all.
 */
export function ownerOfRunning(running: CaddyConfig | null, ours: string): 'ours' | 'unclaimed' | { other?: string } {
  if (!running) return 'unclaimed';
  const tag = typeof running['@id'] === 'string' ? running['@id'] : undefined;
  if (tag === ours) return 'ours';
  if (tag === undefined && Object.keys(running).every((k) => k === 'admin')) return 'unclaimed';
  return { other: tag };
}

async function applyToTarget(target: string, desired: CaddyConfig, options: { dryRun: boolean; adopt: boolean }): Promise<TargetResult> {
  const client = new CaddyAdminClient(target);
  try {
    const running = await client.getConfig();
    const owner = ownerOfRunning(running.config, String(desired['@id']));
    if (typeof owner === 'object' && !options.adopt) throw new CaddyNotOursError(client.display, owner.other);
    const dryRun = options.dryRun;
    // Where the admin API listens is the operator's choice on each Caddy; apply never moves it.
    const config: CaddyConfig = { ...desired, admin: running.config?.admin ?? { ...desired.admin, listen: adminListenOf(target) } };
    const plan = planRoutes(running.config, config);
    if (dryRun || plan.inSync) return { target, plan, pushed: false };
    await client.putConfig(config, running.etag);
    const after = await client.getConfig();
    if (canonicalJson(after.config) !== canonicalJson(config)) {
      throw new CaddyError('ERR_CADDY_VERIFY', `the config read back from ${client.display} differs from the one pushed (another applier may have pushed right after)`, 'run `mcpgw apply --dry-run` to see the difference');
    }
    return { target, plan, pushed: true };
  } catch (err) {
    if (err instanceof CaddyError) return { target, pushed: false, error: err };
    throw err;
  }
}

export async function applyProject(project: Project, options: ApplyOptions = {}): Promise<ApplyReport> {
  // A dry run compares against what was applied: the cached endpoints, no upstream asked.
  if (!options.dryRun) await discoverSseEndpoints(project);
  const { config, warnings } = await renderForProject(project, await checkoutId(project.stateDir));
  const targets = options.targets?.length ? options.targets : [project.settings.caddy.admin];
  const results = await Promise.all(targets.map((t) => applyToTarget(t, config, { dryRun: Boolean(options.dryRun), adopt: Boolean(options.adopt) })));
  if (results.some((r) => r.pushed)) {
    // Mode 0600: `${file:…}` header values are inlined in the config.
    await writeFileAtomic(stateLayout(project.stateDir).lastAppliedFile, `${JSON.stringify(config, null, 2)}\n`, 0o600);
  }
  const restart = restartWarning(await changedSinceUp(project));
  return {
    results,
    warnings: restart ? [...warnings, restart] : warnings,
    inSync: results.every((r) => r.plan?.inSync),
    ok: results.every((r) => !r.error),
  };
}

/**
 * After a registry.d change: apply when a gateway answers on the admin address; undefined when
 * none runs (the next `mcpgw up` or `mcpgw apply` picks the change up).
 */
export async function applyIfRunning(project: Project): Promise<ApplyReport | undefined> {
  const reachable = await new CaddyAdminClient(project.settings.caddy.admin, { retries: 0, timeoutMs: 2000 }).reachable();
  return reachable ? applyProject(project) : undefined;
}
