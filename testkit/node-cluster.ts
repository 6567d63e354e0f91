// Several gateway nodes as a cluster runs them, on one machine: each a full `mcpgw up
// --foreground` on its own loopback address (127.0.0.11, .12, …), every node's registry.d/ and
// scopes.yml linked to one shared set of files (the checkout a ConfigMap or git-sync would
// mount), API keys in one shared keys.json (the Secret), and in front a Caddy of the test's own
// that hashes on Mcp-Session-Id (Caddy 2.6's `header` policy; a request without one goes to any node).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../src/core/identity/api-keys.js';
import { READ_BODY_FIRST } from '../src/control/caddy/proxy-chain.js';
import { startCaddy, type RunningCaddy } from './caddy.js';
import { gatewayCheckout, type TestCheckout } from './gateway.js';
import { startNode, type RunningNode } from './gateway-node.js';
import { freePort } from './ports.js';
import { EVERYTHING_BIN } from './mcp-servers.js';

export interface ClusterOptions {
  count: number;
  /** registry.d files: service name → its YAML after the `name:` line. */
  services: Record<string, string>;
  scopes: string;
  /** API keys in the shared keys.json: name → groups. */
  apiKeys?: Record<string, string[]>;
  /** More mcpgw.yaml sections for every node (limits, audit …). */
  settingsYaml?: string;
}

/**
 * The cluster of the multi-node test and bench: `modern` (a remote 2026-07-28 server, session-less),
 * `stdio-everything` (server-everything over stdio: its sessions live on one node), keys for agents,
 * one to revoke and one under a shared 6/min limit (Redis).
 */
export function sessionClusterOptions(upstreamUrl: string, redisUrl: string): ClusterOptions {
  return {
    count: 3,
    services: {
      modern: `transport: streamable-http\nupstream: ${upstreamUrl}\nhealth: { enabled: false }\n`,
      'stdio-everything': `command:\n  run: [${JSON.stringify(process.execPath)}, ${JSON.stringify(EVERYTHING_BIN)}, stdio]\nhealth: { enabled: false }\n`,
    },
    scopes: `groups:
  agents: [tools]
  metered: [metered]
scopes:
  tools:
    servers:
      "*": { tools: ["*"] }
  metered:
    servers:
      modern:
        tools: ["*"]
        limits: { rate: 6/min }
`,
    apiKeys: { agent: ['agents'], revokable: ['agents'], metered: ['metered'] },
    // A generous command timeout: the test is about sharing, and a loaded CI machine can take
    // longer than the default 100 ms to answer (closed would then refuse with 503).
    settingsYaml: `limits:\n  redis:\n    url: ${redisUrl}\n    on_unavailable: closed\n    command_timeout: 5s\nsearch: { embedder: none }\n`,
  };
}

export interface ClusterNode {
  id: string;
  checkout: TestCheckout;
  node: RunningNode;
  /** http://<ip>:<port> of the node's own gateway listener. */
  url: string;
}

export interface Cluster {
  /** The shared files: registry.d/, scopes.yml, keys.json. */
  files: string;
  keysFile: string;
  keys: Record<string, string>;
  nodes: ClusterNode[];
  /** The front load balancer's URL. */
  frontUrl: string;
  front: RunningCaddy;
  writeService(name: string, yaml: string): Promise<void>;
  close(): Promise<void>;
}

/** The front: one reverse_proxy over the nodes, hashing Mcp-Session-Id; a node that refuses connections is skipped (passive health, retries). */
export function frontConfig(listen: string, nodes: readonly string[]): Record<string, unknown> {
  return {
    http: {
      servers: {
        front: {
          listen: [listen],
          automatic_https: { disable: true },
          routes: [
            {
              handle: [
                // Caddy 2.6 as a front must read bodies first, as the nodes do (proxy-chain: READ_BODY_FIRST).
                READ_BODY_FIRST,
                {
                  handler: 'reverse_proxy',
                  upstreams: nodes.map((dial) => ({ dial })),
                  load_balancing: { selection_policy: { policy: 'header', field: 'Mcp-Session-Id' }, try_duration: '5s', try_interval: '100ms' },
                  health_checks: { passive: { fail_duration: '60s', max_fails: 1 } },
                  flush_interval: -1,
                  transport: { protocol: 'http', dial_timeout: '1s' },
                },
              ],
            },
          ],
        },
      },
    },
  };
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const files = await mkdtemp(join(tmpdir(), 'mcpgw-cluster-'));
  const stops: (() => Promise<unknown>)[] = [() => rm(files, { recursive: true, force: true })];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    await mkdir(join(files, 'registry.d'));
    const writeService = (name: string, yaml: string) => writeFile(join(files, 'registry.d', `${name}.yaml`), `name: ${name}\n${yaml}`);
    for (const [name, yaml] of Object.entries(options.services)) await writeService(name, yaml);
    await writeFile(join(files, 'scopes.yml'), options.scopes);
    const keysFile = join(files, 'keys.json');
    const keys: Record<string, string> = {};
    for (const [name, groups] of Object.entries(options.apiKeys ?? {})) keys[name] = (await createApiKey(keysFile, name, groups)).key;

    const checkouts: { id: string; checkout: TestCheckout; health: string }[] = [];
    for (let i = 0; i < options.count; i++) {
      const checkout = await gatewayCheckout({ host: `127.0.0.${11 + i}`, up: true, filesFrom: files });
      stops.push(() => checkout.close());
      checkouts.push({ id: `n${i + 1}`, checkout, health: `${checkout.host}:${await freePort()}` });
    }
    // Every node knows where each peer's gateway answers (sessions are forwarded to their node).
    const peers = checkouts.map((c) => `    ${c.id}: ${c.checkout.host}:${c.checkout.ports.gateway}`).join('\n');
    for (const c of checkouts) {
      const settings = await readFile(join(c.checkout.dir, 'mcpgw.yaml'), 'utf8');
      const node = `node:\n  id: ${c.id}\n  health_listen: ${c.health}\n  peers:\n${peers}\n`;
      const identity = `identity:\n  api_keys_file: ${keysFile}\n`;
      await writeFile(join(c.checkout.dir, 'mcpgw.yaml'), `${settings}${node}${identity}${options.settingsYaml ?? ''}`);
    }
    const nodes: ClusterNode[] = await Promise.all(
      checkouts.map(async (c) => {
        const node = await startNode(c.checkout.dir, { health: c.health, gateway: `${c.checkout.host}:${c.checkout.ports.gateway}` });
        stops.push(() => node.stop('SIGTERM'));
        return { id: c.id, checkout: c.checkout, node, url: c.checkout.url };
      }),
    );
    const front = await startCaddy();
    stops.push(() => front.stop());
    const frontListen = `127.0.0.10:${await freePort()}`;
    await front.client.putConfig({ admin: { listen: front.admin, config: { persist: false } }, apps: frontConfig(frontListen, nodes.map((n) => new URL(n.url).host)) } as never);
    return { files, keysFile, keys, nodes, frontUrl: `http://${frontListen}`, front, writeService, close };
  } catch (err) {
    await close();
    throw err;
  }
}
