// Changes a person makes in the UI. Each is checked against scopes.yml on the server (the page
// only mirrors it), written to registry.d with the same functions as the CLI (comments and
// layout kept, validated before writing), then applied to the running gateway.
import { z } from 'zod';
import { httpUrl } from '../../core/config/common.js';
import { loadProject, projectPaths } from '../../core/config/project.js';
import { editService, setServiceEnabled, writeService } from '../../control/registry/service-edit.js';
import { ServiceNotFoundError } from '../../core/config/service-files.js';
import { renderServiceYaml } from '../../core/config/service-yaml.js';
import { SERVICE_NAME } from '../../core/config/service.js';
import { hasRegistryRight } from '../../core/policy/policy.js';
import { applyIfRunning as applyGatewayIfRunning } from '../../control/caddy/apply.js';
import { probeServices } from '../../control/probe/probe-run.js';
import { BadRequestError, RightMissingError } from './errors.js';
import { mayUseServer, RIGHT_FOR } from './registry-view.js';

const tags = z.array(z.string().trim().min(1).max(64)).max(32);
const upstream = z.union([httpUrl, z.array(httpUrl).min(1)]);

export const editRequestSchema = z
  .object({ description: z.string().max(2000).optional(), tags: tags.optional(), upstream: upstream.optional() })
  .strict();

/** The UI registers HTTP upstreams only: starting local commands stays with the files in git. */
export const registerRequestSchema = z
  .object({
    name: z.string().regex(SERVICE_NAME, 'must be lowercase letters, digits and dashes'),
    path: z.string().optional(),
    description: z.string().max(2000).default(''),
    tags: tags.default([]),
    upstream,
    transport: z.enum(['streamable-http', 'sse']).default('streamable-http'),
    enabled: z.boolean().default(true),
  })
  .strict();

export type EditRequest = z.infer<typeof editRequestSchema>;
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

export function parseRequest<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
  throw new BadRequestError(problems.join('; '), { problems });
}

export interface ChangeResult {
  changed: boolean;
}

export interface ApplyOutcome {
  /** What happened to the running gateway, in one line. */
  gateway: string;
  ok: boolean;
  warnings: string[];
}

interface Actor {
  groups: readonly string[];
}

async function requireRight(root: string, actor: Actor, right: (typeof RIGHT_FOR)[keyof typeof RIGHT_FOR], what: string): Promise<void> {
  const project = await loadProject(root);
  if (!hasRegistryRight(project.scopes, actor.groups, right)) throw new RightMissingError(right, what);
}

/**
 * After a registry.d change: apply when Caddy answers; otherwise the next `mcpgw up` will.
 * Call it after the change's HTTP answer is sent: the page's request comes through Caddy, and
 * Caddy's reload waits for requests in flight — applying inside the request would deadlock.
 */
export async function applyIfRunning(root: string): Promise<ApplyOutcome> {
  const report = await applyGatewayIfRunning(await loadProject(root));
  if (!report) return { ok: true, gateway: 'gateway not running — the change applies at the next `mcpgw up`', warnings: [] };
  const failed = report.results.find((r) => r.error);
  if (failed?.error) return { ok: false, gateway: `the file changed, but applying it failed: ${failed.error.message}`, warnings: report.warnings };
  return { ok: true, gateway: report.inSync ? 'gateway already in sync' : 'applied to the gateway', warnings: report.warnings };
}

export async function setEnabled(root: string, actor: Actor, name: string, enabled: boolean): Promise<ChangeResult> {
  const right = enabled ? RIGHT_FOR.enable : RIGHT_FOR.disable;
  await requireRight(root, actor, right, `${enabled ? 'enabling' : 'disabling'} ${name}`);
  return { changed: await setServiceEnabled(projectPaths(root), name, enabled) };
}

export async function editDefinition(root: string, actor: Actor, name: string, request: EditRequest): Promise<ChangeResult> {
  await requireRight(root, actor, RIGHT_FOR.edit, `editing ${name}`);
  const { paths, services } = await loadProject(root);
  const svc = services.find((s) => s.name === name);
  if (!svc) throw new ServiceNotFoundError(name);
  if (request.upstream !== undefined && svc.transport === 'stdio') throw new BadRequestError(`${name} runs a local command; change it in ${svc.file}`);
  const changed = await editService(paths, name, (doc) => {
    if (request.description !== undefined) doc.set('description', request.description);
    if (request.tags !== undefined) doc.set('tags', request.tags);
    if (request.upstream !== undefined) doc.set('upstream', request.upstream);
  });
  return { changed };
}

export async function registerDefinition(root: string, actor: Actor, request: RegisterRequest): Promise<ChangeResult> {
  await requireRight(root, actor, RIGHT_FOR.register, `registering ${request.name}`);
  const text = renderServiceYaml({ ...request, path: request.path || undefined }, 'Registered in the mcpgw web UI');
  await writeService(projectPaths(root), request.name, text);
  return { changed: true };
}

/** Probe one service now; anyone who may see it may ask (a probe changes no definition). */
export async function refreshService(root: string, actor: Actor & { listsAll: boolean }, name: string): Promise<void> {
  const project = await loadProject(root);
  const svc = project.services.find((s) => s.name === name);
  if (!svc || (!actor.listsAll && !mayUseServer(project.scopes, actor.groups, name))) throw new ServiceNotFoundError(name);
  await probeServices(project, [svc]);
}
