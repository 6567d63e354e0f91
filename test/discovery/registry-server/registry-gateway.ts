// A running gateway for the registry server's tests, all real parts on loopback: Caddy (routes
// from src/caddy), authd, the registry MCP server, server-everything (probed, so search has its
// tools), an OpenID provider for people's tokens and an API key for a machine.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadProject } from '../../../src/core/config/project.js';
import { probeServices, selectServices } from '../../../src/control/probe/index.js';
import { startEverything, type RunningServer } from '../../../testkit/mcp-servers.js';
import { startTestGateway } from '../../../testkit/gateway.js';
import { SCOPES_YML } from '../../../testkit/gateway-project.js';
import { startTestIdp } from '../../fixtures/oidc/test-idp.js';
import { eventually } from '../../helpers/eventually.js';

export { eventually };

/** The fixture's scopes plus `outsiders`: may browse the registry, granted nothing on any server. */
const SCOPES = SCOPES_YML.replace('groups:\n', 'groups:\n  outsiders: [browse]\n') + '  browse:\n    registry: [list]\n';

export interface RegistryGateway {
  /** http://127.0.0.1:<port>: the public URL, and the audience of every token. */
  url: string;
  /** The registry server's own listener (what Caddy's /mcpgw route proxies to, prefix stripped). */
  registryUrl: string;
  /** The test's own Caddy's admin address (to read the routes it runs). */
  caddyAdmin: string;
  dir: string;
  everything: RunningServer;
  /** alice: developers (everything:echo, registry list) — OIDC JWT. */
  alice: string;
  /** root: admins (everything, every registry right) — OIDC JWT. */
  root: string;
  /** An API key in group `outsiders` (registry list only, no server). */
  outsider: string;
  /** The API keys asked for in options.apiKeys, by name. */
  keys: Record<string, string>;
  /** Push the checkout's routes again (after a change to mcpgw.yaml or registry.d). */
  apply(): Promise<void>;
  /** A token from the test provider for any subject and groups (an hour valid). */
  token(sub: string, groups: string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface RegistryGatewayOptions {
  /** scopes.yml text (default: the fixture's scopes plus `outsiders`). */
  scopes?: string;
  /** More registry.d files: service name → YAML (the whole file). */
  services?: Record<string, string>;
  /** More mcpgw.yaml sections. */
  settingsYaml?: string;
  /** More API keys: name → groups (returned in `keys`). */
  apiKeys?: Record<string, string[]>;
  /** The environment Caddy runs with (secrets by reference). */
  caddyEnv?: NodeJS.ProcessEnv;
  /** Probe before starting (default true: search has everything's tools). */
  probe?: boolean;
}

export async function startRegistryGateway(options: RegistryGatewayOptions = {}): Promise<RegistryGateway> {
  const everything = await startEverything('streamableHttp');
  const gateway = await startTestGateway({
    idp: (url) => startTestIdp({ audience: url, users: {} }),
    services: { everything: `description: MCP test server with many small tools\ntags: [test]\nupstream: ${everything.url}\n` },
    scopes: options.scopes ?? SCOPES,
    apiKeys: { outsider: ['outsiders'], ...options.apiKeys },
    settingsYaml: options.settingsYaml,
    caddyEnv: options.caddyEnv,
    registryServer: true,
    apply: true,
    // Probed before authd and the registry server start, so search has its tools.
    prepare: async (checkout) => {
      for (const [name, yaml] of Object.entries(options.services ?? {})) await writeFile(join(checkout.dir, 'registry.d', `${name}.yaml`), yaml);
      if (options.probe ?? true) {
        const loaded = await loadProject(checkout.dir);
        await probeServices(loaded, selectServices(loaded));
      }
    },
  }).catch(async (err) => {
    await everything.stop();
    throw err;
  });
  gateway.onClose(() => everything.stop());
  const { url, idp } = gateway;
  const now = Math.floor(Date.now() / 1000);
  const token = (sub: string, groups: string[]) => idp.sign({ iss: idp.issuer, aud: url, sub, groups, iat: now, exp: now + 3600 });
  const { outsider, ...keys } = gateway.keys;
  return { url, registryUrl: gateway.registryServer!.url, caddyAdmin: gateway.caddy.admin, dir: gateway.dir, everything, alice: await token('alice', ['developers']), root: await token('root', ['admins']), outsider: outsider!, keys, token, apply: gateway.apply, stop: () => gateway.close() };
}

/** An MCP client on a gateway URL, presenting a bearer token. */
export async function connectWithToken(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'registry-server-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** The text of a tool result (or of an error result), joined. */
export const textOf = (result: unknown) => ((result as { content?: { text?: string }[] }).content ?? []).map((c) => c.text).join('\n');

