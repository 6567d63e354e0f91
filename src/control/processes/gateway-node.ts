// `mcpgw up --foreground` as a node of a cluster: follows the (mounted) files through the
// registry service's one watcher, applies each good change to this node's own Caddy through the
// one serialized apply, and serves /livez and /readyz (node-health.ts) for the kubelet.
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { formatIssue } from '../../core/config/issues.js';
import { nodeIdOf } from '../../core/config/node-identity.js';
import type { Project } from '../../core/config/project.js';
import { listenOn } from '../../core/http/listen.js';
import { sendJson } from '../../core/http/http-messages.js';
import { RegistryService } from '../registry/registry-service.js';
import { superviseForeground, type UpResult } from './gateway-up.js';
import { nodeLiveness, nodeReadiness, type NodeHealthInput } from './node-health.js';

export const NODE_HEALTH_PATH = { live: '/livez', ready: '/readyz' } as const;

export interface NodeRun {
  /** Where /livez and /readyz answer (node.health_listen), when set. */
  healthUrl?: string;
  /** Resolves with the exit code once the node stopped (signal: 0; a process died: 1). */
  done: Promise<number>;
}

async function serveHealth(address: string, input: NodeHealthInput): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://node').pathname;
    const check = path === NODE_HEALTH_PATH.live ? nodeLiveness : path === NODE_HEALTH_PATH.ready ? nodeReadiness : undefined;
    if (!check || (req.method !== 'GET' && req.method !== 'HEAD')) return sendJson(res, 404, { error: 'not_found' });
    check(input)
      .then((health) => sendJson(res, health.ok ? 200 : 503, health))
      .catch((err: Error) => sendJson(res, 503, { ok: false, error: err.message }));
  });
  return { server, url: (await listenOn(server, address)).url };
}

/** Follow the files and serve health until a signal or a process's death; then stop everything. */
export async function runNode(project: Project, result: UpResult, log: (line: string) => void): Promise<NodeRun> {
  const registry = await RegistryService.open(project.paths.root, { follow: true });
  let invalid: string | undefined;
  registry.current.onInvalid((issues) => {
    invalid = issues.filter((i) => i.severity === 'error').map(formatIssue).join('; ');
    log(`the files changed but do not validate; keeping the last good ones: ${invalid}`);
  });
  registry.onChange(() => {
    invalid = undefined;
    void registry.apply().then((outcome) => log(`files changed: ${outcome.message}${outcome.error ? ` (${outcome.error.code})` : ''}`));
  });
  const input: NodeHealthInput = {
    node: nodeIdOf(project.settings, process.env, hostname()),
    project: () => registry.project,
    children: result.started.map((p) => ({ name: p.spec.name, child: p.child })),
    invalidFiles: () => invalid,
  };
  const address = project.settings.node.health_listen;
  const health = address ? await serveHealth(address, input) : undefined;
  if (health) log(`node ${input.node}: ${health.url}${NODE_HEALTH_PATH.live} and ${NODE_HEALTH_PATH.ready}`);
  const done = superviseForeground(project, result, log, async () => {
    health?.server.closeAllConnections();
    await new Promise<void>((resolve) => (health ? health.server.close(() => resolve()) : resolve()));
    await registry.close();
  });
  return { healthUrl: health?.url, done };
}
