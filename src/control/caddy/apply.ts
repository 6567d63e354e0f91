// `mcpgw apply`: render the files, compare with what each Caddy runs, push with If-Match,
// verify. All or nothing per target: Caddy rolls back a config it cannot load.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Project } from '../../core/config/project.js';
import { resolveSecretMap } from '../../core/config/secrets.js';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import { stateLayout } from '../../core/state/layout.js';
import { adminListenOf, CaddyAdminClient } from './admin-client.js';
import { canonicalJson, type CaddyConfig } from './caddy-json.js';
import { CaddyError } from './errors.js';
import { renderCaddyConfig, renderInputOf } from './render.js';
import { planRoutes, type RoutePlan } from './route-plan.js';
import { discoverSseEndpoint } from './sse-endpoint.js';

export interface ApplyOptions {
  /** Admin API addresses; default the one in mcpgw.yaml. */
  targets?: string[];
  dryRun?: boolean;
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

const sseEndpointsFile = (project: Project) => join(dirname(stateLayout(project.stateDir).lastAppliedFile), 'sse-endpoints.json');

/**
 * Ask each SSE upstream where it wants messages posted — disabled ones too, since their routes
 * stay in Caddy (authd refuses them), so enable/disable leaves the config alone. When an
 * upstream does not answer, the last path it announced (cached in the state dir) keeps its
 * route stable.
 */
export async function sseEndpointsOf(project: Project): Promise<Record<string, string>> {
  const file = sseEndpointsFile(project);
  const cached = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Record<string, string>;
  const found: Record<string, string> = {};
  await Promise.all(
    project.services
      .filter((s) => s.transport === 'sse' && s.upstreams[0])
      .map(async (svc) => {
        let headers: Record<string, string> = {};
        try {
          headers = resolveSecretMap(svc.headers, project.paths.root);
        } catch {
          /* a missing secret only means the upstream may refuse us; the cache still helps */
        }
        const path = (await discoverSseEndpoint(svc.upstreams[0]!, headers)) ?? cached[svc.name];
        if (path) found[svc.name] = path;
      }),
  );
  if (canonicalJson(found) !== canonicalJson(cached)) await writeFileAtomic(file, `${JSON.stringify(found, null, 2)}\n`);
  return found;
}

/** Two SSE services announcing the same bare path cannot both be routed; the first (by name) wins. */
function dedupeEndpoints(endpoints: Record<string, string>, project: Project, warnings: string[]): Record<string, string> {
  const owner = new Map<string, string>();
  const out: Record<string, string> = {};
  for (const name of Object.keys(endpoints).sort()) {
    const path = endpoints[name]!;
    const clash = owner.get(path) ?? project.services.find((s) => path === s.path || path.startsWith(`${s.path}/`))?.name;
    if (clash && clash !== name) {
      warnings.push(`${name}: its SSE endpoint ${path} is already routed to ${clash}; its legacy SSE clients cannot post messages — give the upstream its own message path`);
      continue;
    }
    owner.set(path, name);
    out[name] = path;
  }
  return out;
}

export async function renderForProject(project: Project): Promise<{ config: CaddyConfig; warnings: string[] }> {
  const warnings: string[] = [];
  const endpoints = dedupeEndpoints(await sseEndpointsOf(project), project, warnings);
  const rendered = renderCaddyConfig(renderInputOf(project, { sseEndpoints: endpoints }));
  return { config: rendered.config, warnings: [...rendered.warnings, ...warnings] };
}

async function applyToTarget(target: string, desired: CaddyConfig, dryRun: boolean): Promise<TargetResult> {
  const client = new CaddyAdminClient(target);
  try {
    const running = await client.getConfig();
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
  const { config, warnings } = await renderForProject(project);
  const targets = options.targets?.length ? options.targets : [project.settings.caddy.admin];
  const results = await Promise.all(targets.map((t) => applyToTarget(t, config, Boolean(options.dryRun))));
  if (results.some((r) => r.pushed)) {
    // Mode 0600: `${file:…}` header values are inlined in the config.
    await writeFileAtomic(stateLayout(project.stateDir).lastAppliedFile, `${JSON.stringify(config, null, 2)}\n`, 0o600);
  }
  return {
    results,
    warnings,
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
