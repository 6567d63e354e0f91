// One harness for a gateway under test or benchmark: a temporary checkout whose every listener is
// a private loopback port (testkit/ports), a Caddy of its own on its own admin address (never the
// default, never one it did not start), authd in process and, on request, an identity provider,
// the registry server and the web UI. close() stops what it started, newest first, and removes
// the checkout — also when the start itself failed.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../src/core/config/project.js';
import { createApiKey } from '../src/core/identity/api-keys.js';
import { stateLayout } from '../src/core/state/layout.js';
import { applyProject } from '../src/control/caddy/apply.js';
import { waitForAuthd } from '../src/control/registry/authd-sync.js';
import { startAuthd as startAuthdServer, type AuthdOptions, type RunningAuthd } from '../src/gateway/authd/authd-server.js';
import { startRegistryHttpServer, type RegistryHttpServer } from '../src/discovery/registry-server/http-server.js';
import { startWebServer, type RunningWebServer } from '../src/discovery/web/web-server.js';
import { startStdioHost, type StdioHost } from '../src/gateway/stdio-host/stdio-host.js';
import { startCaddy, type RunningCaddy } from './caddy.js';
import { runCli, tempProject, type CliResult } from './cli.js';
import { everythingServiceYaml, gatewaySettingsYaml, scopesYml } from './gateway-project.js';
import { freePort, waitForPort } from './ports.js';
import { stopLeftoverProcesses } from './up-processes.js';

/** What an identity provider started for the harness gives back (test/fixtures/oidc/test-idp's TestIdp is one). */
export interface StartedIdp {
  issuer: string;
  close(): Promise<void>;
}

export interface TestGatewayOptions<Idp extends StartedIdp | undefined = undefined> {
  /** Loopback address of every listener; default 127.0.0.1 (several nodes: 127.0.0.2, …). */
  host?: string;
  /**
   * Starts an identity provider once the gateway's URL (the tokens' audience) is known; mcpgw.yaml
   * trusts it, the checkout holds the `everything` service and the fixture's scopes
   * (testkit/gateway-project.ts) unless `services`/`scopes` say otherwise; close() stops it.
   */
  idp?: (url: string) => Promise<Idp>;
  /** With `idp`: the `everything` service's upstream, and limits on everyday's grant on it. */
  upstream?: string;
  everydayLimits?: string;
  /** registry.d files: service name → its YAML after the `name:` line. */
  services?: Record<string, string>;
  /** scopes.yml text. */
  scopes?: string;
  /** API keys to create before authd starts: key name → groups; the keys are in `keys`. */
  apiKeys?: Record<string, string[]>;
  allowedOrigins?: string[];
  /** More fields of the identity provider's entry in mcpgw.yaml, indented by 6 (e.g. a token_exchange client). */
  identityYaml?: string;
  /** More mcpgw.yaml sections (metrics, audit, tracing, search …). */
  settingsYaml?: string;
  /** Environment Caddy runs with (secrets by reference). */
  caddyEnv?: NodeJS.ProcessEnv;
  /** authd in process (default true); false: its address is in mcpgw.yaml and the test calls `startAuthd()`. */
  authd?: boolean;
  /** The registry MCP server / the web UI / the stdio host in process, on private ports. */
  registryServer?: boolean;
  web?: boolean;
  stdioHost?: boolean;
  /** Push the routes (in process) and wait for the gateway's port before returning; default false. */
  apply?: boolean;
  /** Runs once the files are written, before any daemon starts (a probe, more files). */
  prepare?: (checkout: TestCheckout<Idp>) => Promise<void>;
  /** (gatewayCheckout) Every daemon, the stdio host too, gets a private address for `mcpgw up`, which the test runs; close() runs `mcpgw down` and kills what it left. */
  up?: boolean;
  /** A directory whose registry.d/ and scopes.yml this checkout links to (nodes reading one set of files). */
  filesFrom?: string;
  /** Environment of `cli(…)`. */
  cliEnv?: NodeJS.ProcessEnv;
}

/** A checkout of a gateway with every listener on a private port, before (or without) any process. */
export interface TestCheckout<Idp extends StartedIdp | undefined = undefined> {
  dir: string;
  host: string;
  /** http://<host>:<port>: Caddy's listener, the public URL and the tokens' audience. */
  url: string;
  ports: { gateway: number; admin: number; authd: number; registryServer?: number; web?: number; stdioHost?: number };
  authd?: RunningAuthd;
  registryServer?: RegistryHttpServer;
  web?: RunningWebServer;
  stdioHost?: StdioHost;
  idp: Idp;
  /** The API keys of `apiKeys`, by name. */
  keys: Record<string, string>;
  writeService(name: string, yaml: string): Promise<void>;
  /** The mcpgw CLI in this checkout. */
  cli(...args: string[]): Promise<CliResult>;
  /** Start authd for this checkout (after `authd: false`); stopped by close(). */
  startAuthd(options?: Partial<AuthdOptions>): Promise<RunningAuthd>;
  /** Push the checkout's routes to this gateway's Caddy, in process, and wait until a running authd decides with them. */
  apply(): Promise<void>;
  /** Stop this too when the gateway closes (before what was started earlier). */
  onClose(stop: () => Promise<unknown>): void;
  close(): Promise<void>;
}

/** A running gateway: the checkout, its own Caddy, and the daemons asked for. */
export interface TestGateway<Idp extends StartedIdp | undefined = undefined> extends TestCheckout<Idp> {
  caddy: RunningCaddy;
}

const quiet = () => {};

/** The checkout alone (authd or CLI tests, `mcpgw up` with `up: true`); nothing runs until the test starts it. */
export async function gatewayCheckout<Idp extends StartedIdp | undefined = undefined>(options: TestGatewayOptions<Idp> = {}): Promise<TestCheckout<Idp>> {
  const host = options.host ?? '127.0.0.1';
  const stops: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    const up = options.up ?? false;
    const ports = {
      gateway: await freePort(),
      admin: await freePort(),
      authd: await freePort(),
      ...(options.registryServer || up ? { registryServer: await freePort() } : {}),
      ...(options.web || up ? { web: await freePort() } : {}),
      ...(options.stdioHost || up ? { stdioHost: await freePort() } : {}),
    };
    const at = (port: number) => `${host}:${port}`;
    const url = `http://${at(ports.gateway)}`;
    const idp = (options.idp ? await options.idp(url) : undefined) as Idp;
    if (idp) stops.push(() => idp.close());

    const project = await tempProject();
    stops.push(() => project.cleanup());
    const dir = project.dir;
    const daemons = [
      ports.registryServer ? `registry_server:\n  listen: ${at(ports.registryServer)}\n` : '',
      ports.stdioHost ? `stdio_host:\n  listen: ${at(ports.stdioHost)}\n` : '',
      ports.web ? `web:\n  listen: ${at(ports.web)}\n${idp ? '  client_id: mcpgw-web\n' : ''}` : '',
    ].join('');
    await writeFile(
      join(dir, 'mcpgw.yaml'),
      gatewaySettingsYaml({
        gatewayListen: at(ports.gateway),
        caddyAdmin: at(ports.admin),
        authdListen: at(ports.authd),
        allowedOrigins: options.allowedOrigins ?? [],
        identity: idp ? { issuer: idp.issuer, audience: url, extra: options.identityYaml } : undefined,
        more: daemons + (options.settingsYaml ?? ''),
      }),
    );
    if (options.filesFrom) {
      await symlink(join(options.filesFrom, 'registry.d'), join(dir, 'registry.d'));
      await symlink(join(options.filesFrom, 'scopes.yml'), join(dir, 'scopes.yml'));
    } else {
      await mkdir(join(dir, 'registry.d'), { recursive: true });
      await writeServiceFiles(dir, { ...(idp ? { everything: everythingServiceYaml(options.upstream).replace(/^name: everything\n/, '') } : {}), ...options.services });
      const scopes = options.scopes ?? (idp ? scopesYml(options.everydayLimits) : undefined);
      if (scopes !== undefined) await writeFile(join(dir, 'scopes.yml'), scopes);
    }
    const keys: Record<string, string> = {};
    if (options.apiKeys) {
      const { stateDir } = await loadProject(dir);
      for (const [name, groups] of Object.entries(options.apiKeys)) keys[name] = (await createApiKey(stateLayout(stateDir).apiKeysFile, name, groups)).key;
    }

    const gateway: TestCheckout<Idp> = {
      dir,
      host,
      url,
      ports,
      idp,
      keys,
      writeService: (name, yaml) => writeServiceFiles(dir, { [name]: yaml }),
      cli: (...args) => runCli(args, { cwd: dir, env: options.cliEnv, timeoutMs: 120_000 }),
      startAuthd: async (authdOptions = {}) => {
        const authd = await startAuthdServer({ root: dir, log: quiet, ...authdOptions });
        stops.push(() => authd.close());
        return (gateway.authd = authd);
      },
      apply: async () => {
        const project = await loadProject(dir);
        const report = await applyProject(project);
        if (!report.ok) throw new Error(`apply failed: ${report.results.map((r) => r.error?.message).join('; ')}`);
        // As `mcpgw apply` does: the routes count once authd decides with the same definitions.
        if (gateway.authd && (await waitForAuthd(project, 15_000)) === 'stale') throw new Error('apply: authd did not load the new definitions in 15 s');
      },
      onClose: (stop) => void stops.push(stop),
      close,
    };
    await options.prepare?.(gateway);
    if (up) stops.push(() => stopLeftoverProcesses(dir));
    return gateway;
  } catch (err) {
    await close();
    throw err;
  }
}

/** A whole gateway: the checkout, a Caddy of its own on the checkout's private admin, authd (unless `authd: false`), and the registry server, web UI and stdio host when asked. */
export async function startTestGateway<Idp extends StartedIdp | undefined = undefined>(options: TestGatewayOptions<Idp> = {}): Promise<TestGateway<Idp>> {
  const checkout = await gatewayCheckout(options);
  try {
    const at = (port: number) => `${checkout.host}:${port}`;
    const caddy = await startCaddy(options.caddyEnv, { admin: at(checkout.ports.admin) });
    checkout.onClose(() => caddy.stop());
    const gateway: TestGateway<Idp> = Object.assign(checkout, { caddy });
    if (options.authd ?? true) await gateway.startAuthd();
    if (options.registryServer) {
      const registry = await startRegistryHttpServer({ root: gateway.dir, listen: at(gateway.ports.registryServer!) });
      gateway.onClose(() => registry.close());
      gateway.registryServer = registry;
    }
    if (options.web) {
      const web = await startWebServer({ root: gateway.dir, log: quiet });
      gateway.onClose(() => web.close());
      gateway.web = web;
    }
    if (options.stdioHost) {
      const host = await startStdioHost(await loadProject(gateway.dir), { watch: false });
      gateway.onClose(() => host.close());
      gateway.stdioHost = host;
    }
    if (options.apply) {
      await gateway.apply();
      await waitForPort(gateway.ports.gateway, gateway.host, 30_000);
    }
    return gateway;
  } catch (err) {
    await checkout.close();
    throw err;
  }
}

async function writeServiceFiles(dir: string, services: Record<string, string>): Promise<void> {
  for (const [name, yaml] of Object.entries(services)) await writeFile(join(dir, 'registry.d', `${name}.yaml`), `name: ${name}\n${yaml}`);
}

/**
 * Several gateways (nodes) reading one set of files: registry.d/ and scopes.yml live in a shared
 * directory every node's checkout links to; node i listens on 127.0.0.<i+1> with its own ports,
 * Caddy and daemons. `options(i)` gives each node's options (services/scopes go to the shared files).
 */
export async function startTestGateways<Idp extends StartedIdp | undefined = undefined>(
  count: number,
  options: (index: number) => TestGatewayOptions<Idp> = () => ({}),
): Promise<{ files: string; nodes: TestGateway<Idp>[]; close(): Promise<void> }> {
  const files = await mkdtemp(join(tmpdir(), 'mcpgw-nodes-'));
  const nodes: TestGateway<Idp>[] = [];
  const close = async () => {
    for (const node of nodes.splice(0).reverse()) await node.close();
    await rm(files, { recursive: true, force: true });
  };
  try {
    const first = options(0);
    await mkdir(join(files, 'registry.d'));
    await writeServiceFiles(files, first.services ?? {});
    await writeFile(join(files, 'scopes.yml'), first.scopes ?? '');
    for (let i = 0; i < count; i++) nodes.push(await startTestGateway({ host: `127.0.0.${i + 1}`, ...options(i), filesFrom: files }));
    return { files, nodes, close };
  } catch (err) {
    await close();
    throw err;
  }
}
