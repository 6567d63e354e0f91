// What a node's /livez and /readyz mean. Alive: every managed process runs and Caddy's admin
// API answers (a hung Caddy is restarted by the kubelet). Ready: Caddy runs the config the
// current files render, authd answers and decides with the files' definitions and policy — a
// node that would answer with yesterday's routes or policy takes no traffic.
import type { ChildProcess } from 'node:child_process';
import type { Project } from '../../core/config/project.js';
import { definitionsFingerprint, policyFingerprint } from '../../core/config/definitions-fingerprint.js';
import { AUTHD_PATH } from '../../core/wire/contract.js';
import { CaddyAdminClient } from '../caddy/admin-client.js';
import type { CaddyConfig } from '../caddy/caddy-json.js';
import { dialOfListen } from '../caddy/proxy-chain.js';
import { renderForProject } from '../caddy/render-input.js';
import { planRoutes } from '../caddy/route-plan.js';

export interface NodeCheck {
  name: 'processes' | 'caddy' | 'authd' | 'policy' | 'files';
  ok: boolean;
  detail: string;
}

export interface NodeHealth {
  ok: boolean;
  node: string;
  checks: NodeCheck[];
}

export interface NodeHealthInput {
  node: string;
  /** The project the node follows (its last good reload). */
  project: () => Project;
  /** The managed processes `up` started. */
  children: ReadonlyArray<{ name: string; child: ChildProcess }>;
  /** The files changed but do not validate: the node keeps serving the last good ones. */
  invalidFiles: () => string | undefined;
  timeoutMs?: number;
}

const rendered = new WeakMap<Project, Promise<CaddyConfig>>();

/** The desired config, once per loaded project (rendering asks `caddy version`). */
function desiredConfig(project: Project): Promise<CaddyConfig> {
  let config = rendered.get(project);
  if (!config) {
    config = renderForProject(project).then((r) => r.config);
    rendered.set(project, config);
  }
  return config;
}

function processesCheck(input: NodeHealthInput): NodeCheck {
  const gone = input.children.filter((c) => c.child.exitCode !== null || c.child.signalCode !== null).map((c) => c.name);
  return { name: 'processes', ok: gone.length === 0, detail: gone.length ? `exited: ${gone.join(', ')}` : `${input.children.length} running` };
}

async function caddyCheck(project: Project, timeoutMs: number, compare: boolean): Promise<NodeCheck> {
  const client = new CaddyAdminClient(project.settings.caddy.admin, { retries: 0, timeoutMs });
  const running = await client.getConfig().catch((err: Error) => err);
  if (running instanceof Error) return { name: 'caddy', ok: false, detail: `admin API not answering: ${running.message}` };
  if (!compare) return { name: 'caddy', ok: true, detail: 'admin API answers' };
  const desired = await desiredConfig(project);
  const plan = planRoutes(running.config, { ...desired, admin: running.config?.admin ?? desired.admin });
  if (plan.inSync) return { name: 'caddy', ok: true, detail: 'runs the routes the files describe' };
  const differs = [...plan.added.map((id) => `+${id}`), ...plan.changed.map((id) => `~${id}`), ...plan.removed.map((id) => `-${id}`)];
  return { name: 'caddy', ok: false, detail: `routes differ from the files (${differs.slice(0, 5).join(' ') || 'server settings'})` };
}

async function authdChecks(project: Project, timeoutMs: number): Promise<NodeCheck[]> {
  const url = `http://${dialOfListen(project.settings.authd.listen)}${AUTHD_PATH.healthz}`;
  const seen = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    .then(async (res) => (await res.json()) as { definitions?: string; policy?: string })
    .catch((err: Error) => err);
  if (seen instanceof Error) return [{ name: 'authd', ok: false, detail: `not answering: ${seen.message}` }];
  const definitions = seen.definitions === definitionsFingerprint(project.services);
  const policy = seen.policy === policyFingerprint(project.scopes);
  return [
    { name: 'authd', ok: definitions, detail: definitions ? 'answers with the current definitions' : 'answers, but with other definitions than the files (reloading)' },
    { name: 'policy', ok: policy, detail: policy ? 'scopes.yml loaded' : 'authd decides with another scopes.yml than the files (reloading)' },
  ];
}

/** /livez: the processes run and Caddy answers. */
export async function nodeLiveness(input: NodeHealthInput): Promise<NodeHealth> {
  const checks = [processesCheck(input), await caddyCheck(input.project(), input.timeoutMs ?? 2000, false)];
  return { ok: checks.every((c) => c.ok), node: input.node, checks };
}

/** /readyz: alive, Caddy runs the current routes, authd decides with the current definitions and policy. */
export async function nodeReadiness(input: NodeHealthInput): Promise<NodeHealth> {
  const project = input.project();
  const timeoutMs = input.timeoutMs ?? 2000;
  const [caddy, authd] = await Promise.all([caddyCheck(project, timeoutMs, true), authdChecks(project, timeoutMs)]);
  const invalid = input.invalidFiles();
  // Files that do not validate keep the last good ones in force everywhere: still ready, and said so.
  const files: NodeCheck = { name: 'files', ok: true, detail: invalid ? `the files changed but do not validate; serving the last good ones: ${invalid}` : 'valid' };
  const checks = [processesCheck(input), caddy, ...authd, files];
  return { ok: checks.every((c) => c.ok), node: input.node, checks };
}
