// A gateway node as a cluster runs it: `mcpgw up --foreground` from source in a checkout, on
// private ports of one loopback address (127.0.0.11, 127.0.0.12 … work on Linux without set-up),
// waited for through its own /readyz. Shared by the node tests, the multi-node test and its bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { MAIN, TSX } from './cli.js';
import { freePort } from './ports.js';
import { reapOnExit } from './reap-on-exit.js';

export interface NodeAddresses {
  ip: string;
  gateway: string;
  admin: string;
  authd: string;
  registry: string;
  host: string;
  web: string;
  health: string;
}

/** Private addresses on `ip` for every listener of one node. */
export async function nodeAddresses(ip = '127.0.0.1'): Promise<NodeAddresses> {
  const [gateway, admin, authd, registry, host, web, health] = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  const at = (port: number) => `${ip}:${port}`;
  return { ip, gateway: at(gateway!), admin: at(admin!), authd: at(authd!), registry: at(registry!), host: at(host!), web: at(web!), health: at(health!) };
}

/** The mcpgw.yaml sections that put a node on these addresses (append the rest). */
export function nodeSettingsYaml(a: NodeAddresses): string {
  return `gateway: { listen: ${a.gateway} }
caddy: { admin: ${a.admin} }
authd: { listen: ${a.authd} }
registry_server: { listen: ${a.registry} }
stdio_host: { listen: ${a.host} }
web: { listen: ${a.web} }
`;
}

export interface RunningNode {
  child: ChildProcess;
  /** http://ip:port of node.health_listen. */
  healthUrl: string;
  gatewayUrl: string;
  /** Everything the node printed so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Send `signal` (default SIGTERM) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The node dies as a pod does: SIGKILL to it and every process it started (its process group). */
  kill(): Promise<void>;
}

export interface Health {
  status: number;
  body: { ok: boolean; node: string; checks: { name: string; ok: boolean; detail: string }[] };
}

export async function health(node: Pick<RunningNode, 'healthUrl'>, path: '/livez' | '/readyz'): Promise<Health> {
  const res = await fetch(`${node.healthUrl}${path}`, { signal: AbortSignal.timeout(10_000) }).catch((err: Error & { cause?: Error }) => {
    throw new Error(`${node.healthUrl}${path}: ${err.message}${err.cause ? ` (${err.cause.message})` : ''}`);
  });
  return { status: res.status, body: (await res.json()) as Health['body'] };
}

/** Poll until `path` answers `status` (default 200); the last answer. */
export async function waitForHealth(node: Pick<RunningNode, 'healthUrl'>, path: '/livez' | '/readyz', status = 200, timeoutMs = 30_000): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  let last: Health | Error = new Error('never answered');
  for (;;) {
    last = await health(node, path).catch((err: Error) => err);
    if (!(last instanceof Error) && last.status === status) return last;
    if (Date.now() > deadline) throw new Error(`${node.healthUrl}${path} did not answer ${status} within ${timeoutMs} ms: ${last instanceof Error ? last.message : JSON.stringify(last.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Start `mcpgw up --foreground` in `dir` (whose mcpgw.yaml sets node.health_listen to `a.health`) and wait until ready. */
export async function startNode(dir: string, a: Pick<NodeAddresses, 'health' | 'gateway'>, options: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {}): Promise<RunningNode> {
  // A process group of its own, so kill() can take the whole node down at once.
  const child = reapOnExit(spawn(process.execPath, ['--import', TSX, MAIN, '--dir', dir, 'up', '--foreground'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  }));
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const node: RunningNode = {
    child,
    healthUrl: `http://${a.health}`,
    gatewayUrl: `http://${a.gateway}`,
    stdout: () => out,
    stderr: () => err,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    kill: async () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    },
  };
  const early = exited.then(({ code, signal }) => {
    throw new Error(`mcpgw up --foreground exited during start (${signal ?? code}): ${err}`);
  });
  await Promise.race([waitForHealth(node, '/readyz', 200, options.readyTimeoutMs ?? 120_000), early]).catch(async (e: Error) => {
    await node.stop('SIGTERM');
    throw new Error(`${e.message}\nstderr: ${err.slice(-4000)}`);
  });
  early.catch(() => {});
  return node;
}
