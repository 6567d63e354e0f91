// A running gateway for the registry server's tests, all real parts on loopback: Caddy (routes
// from src/caddy), authd, the registry MCP server, server-everything (probed, so search has its
// tools), an OpenID provider for people's tokens and an API key for a machine.
import { writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadProject } from '../../../src/core/config/project.js';
import { applyProject } from '../../../src/control/caddy/apply.js';
import { startAuthd, type RunningAuthd } from '../../../src/gateway/authd/authd-server.js';
import { createApiKey } from '../../../src/core/identity/api-keys.js';
import { stateLayout } from '../../../src/core/state/layout.js';
import { probeServices, selectServices } from '../../../src/control/probe/index.js';
import { startRegistryHttpServer, type RegistryHttpServer } from '../../../src/discovery/registry-server/http-server.js';
import { startEverything, type RunningServer } from '../../../testkit/mcp-servers.js';
import { freePort, waitForPort } from '../../../testkit/ports.js';
import { startCaddy, type RunningCaddy } from '../../../testkit/caddy.js';
import { startTestIdp, type TestIdp } from '../../fixtures/oidc/test-idp.js';
import { gatewayProject, SCOPES_YML } from '../../../testkit/gateway-project.js';
import { eventually } from '../../helpers/eventually.js';

export { eventually };

/** The fixture's scopes plus `outsiders`: may browse the registry, granted nothing on any server. */
const SCOPES = SCOPES_YML.replace('groups:\n', 'groups:\n  outsiders: [browse]\n') + '  browse:\n    registry: [list]\n';

export interface RegistryGateway {
  /** http://127.0.0.1:<port>: the public URL, and the audience of every token. */
  url: string;
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
  const parts: { stop(): Promise<unknown> }[] = [];
  const stop = async () => {
    for (const part of parts.reverse()) await part.stop().catch(() => {});
  };
  try {
    const [gwPort, authdPort, registryPort] = [await freePort(), await freePort(), await freePort()];
    const url = `http://127.0.0.1:${gwPort}`;
    const idp: TestIdp = await startTestIdp({ audience: url, users: {} });
    parts.push({ stop: () => idp.close() });
    const everything = await startEverything('streamableHttp');
    parts.push(everything);
    const caddy: RunningCaddy = await startCaddy(options.caddyEnv);
    parts.push(caddy);
    const project = await gatewayProject({ issuer: idp.issuer, audience: url, gatewayListen: `127.0.0.1:${gwPort}`, authdListen: `127.0.0.1:${authdPort}`, upstream: everything.url, caddyAdmin: caddy.admin });
    parts.push({ stop: () => project.cleanup() });
    await appendFile(join(project.dir, 'mcpgw.yaml'), `registry_server:\n  listen: 127.0.0.1:${registryPort}\n${options.settingsYaml ?? ''}`);
    await writeFile(join(project.dir, 'scopes.yml'), options.scopes ?? SCOPES);
    for (const [name, yaml] of Object.entries(options.services ?? {})) await writeFile(join(project.dir, 'registry.d', `${name}.yaml`), yaml);
    await writeFile(join(project.dir, 'registry.d', 'everything.yaml'), `name: everything\ndescription: MCP test server with many small tools\ntags: [test]\nupstream: ${everything.url}\n`);

    const loaded = await loadProject(project.dir);
    const { key: outsider } = await createApiKey(stateLayout(loaded.stateDir).apiKeysFile, 'outsider', ['outsiders']);
    const keys: Record<string, string> = {};
    for (const [name, groups] of Object.entries(options.apiKeys ?? {})) keys[name] = (await createApiKey(stateLayout(loaded.stateDir).apiKeysFile, name, groups)).key;
    if (options.probe ?? true) await probeServices(loaded, selectServices(loaded));
    const authd: RunningAuthd = await startAuthd({ root: project.dir, log: () => {} });
    parts.push({ stop: () => authd.close() });
    const registry: RegistryHttpServer = await startRegistryHttpServer({ root: project.dir, listen: `127.0.0.1:${registryPort}` });
    parts.push({ stop: () => registry.close() });
    const report = await applyProject(loaded);
    if (!report.ok) throw new Error(`apply failed: ${report.results.map((r) => r.error?.message).join('; ')}`);
    await waitForPort(gwPort, '127.0.0.1', 30_000);

    const now = Math.floor(Date.now() / 1000);
    const token = (sub: string, groups: string[]) => idp.sign({ iss: idp.issuer, aud: url, sub, groups, iat: now, exp: now + 3600 });
    const apply = async () => {
      const again = await applyProject(await loadProject(project.dir));
      if (!again.ok) throw new Error(`apply failed: ${again.results.map((r) => r.error?.message).join('; ')}`);
    };
    return { url, dir: project.dir, everything, alice: await token('alice', ['developers']), root: await token('root', ['admins']), outsider, keys, token, apply, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** An MCP client on a gateway URL, presenting a bearer token. */
export async function connectWithToken(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'registry-server-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** The text of a tool result (or of an error result), joined. */
export const textOf = (result: unknown) => ((result as { content?: { text?: string }[] }).content ?? []).map((c) => c.text).join('\n');

