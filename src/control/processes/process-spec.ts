// The processes `mcpgw up` runs, as data: adding one is adding an entry. mcpgw's own
// subcommands run as process.execPath + execArgv + argv[1], so this works from source
// (tsx) and from dist alike; an entry appears only when its command exists in the program.
import type { Project } from '../../core/config/project.js';
import { publicUrl } from '../../core/config/settings.js';
import { dialOfListen } from '../caddy/proxy-chain.js';
import { AUTHD_PATH, UI_PATH } from '../../core/wire/contract.js';
import { hostname } from 'node:os';
import { isMultiNode, NODE_ID_ENV, nodeIdOf } from '../../core/config/node-identity.js';

/** `owner`: the root `@id` of the boot config — the Caddy that answers must be the one `up` started. */
export type Readiness = { kind: 'caddy-admin'; target: string; owner: string } | { kind: 'http'; url: string } | { kind: 'log-line'; pattern: string };

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  /** What to print for the operator. */
  url?: string;
  ready: Readiness;
  /** Set in the process's environment, over ours. */
  env?: Record<string, string>;
}

export interface SelfCommand {
  execPath: string;
  /** execArgv + the entry script, e.g. ['--import', 'tsx', 'src/cli/main.ts']. */
  prefix: string[];
}

export function selfCommand(): SelfCommand {
  return { execPath: process.execPath, prefix: [...process.execArgv, process.argv[1]!] };
}

interface SubcommandEntry {
  name: string;
  /** Path of the commander command, e.g. ['serve'] or ['probe']. */
  command: string;
  args: string[];
  listen?: (p: Project) => string;
  /** Path that answers when the process is ready. */
  readyPath?: string;
  /** Without an address: what the process writes to its log once it has loaded the files. */
  readyLine?: string;
}

/** mcpgw subcommands that `up` runs beside Caddy, when the program has them. */
const SUBCOMMANDS: SubcommandEntry[] = [
  { name: 'authd', command: 'authd', args: [], listen: (p) => p.settings.authd.listen, readyPath: AUTHD_PATH.healthz },
  { name: 'host', command: 'host', args: [], listen: (p) => p.settings.stdio_host.listen, readyPath: '/' },
  { name: 'registry-server', command: 'serve', args: ['--http'], listen: (p) => p.settings.registry_server.listen, readyPath: '/' },
  { name: 'web', command: 'web', args: ['--no-link'], listen: (p) => p.settings.web.listen, readyPath: `${UI_PATH}/healthz` },
  { name: 'prober', command: 'probe', args: ['--watch'], readyLine: '^probing \\d+ service' },
];

export function processSpecs(project: Project, available: ReadonlySet<string>, self: SelfCommand, caddy: { binary: string; bootConfig: string; owner: string }): ProcessSpec[] {
  const specs: ProcessSpec[] = [
    {
      name: 'caddy',
      command: caddy.binary,
      args: ['run', '--config', caddy.bootConfig],
      url: publicUrl(project.settings),
      ready: { kind: 'caddy-admin', target: project.settings.caddy.admin, owner: caddy.owner },
      // The session-forwarding routes ask Caddy which node it is (session-forwarding.ts).
      ...(isMultiNode(project.settings) ? { env: { [NODE_ID_ENV]: nodeIdOf(project.settings, process.env, hostname()) } } : {}),
    },
  ];
  for (const entry of SUBCOMMANDS.filter((e) => available.has(e.command))) {
    const listen = entry.listen?.(project);
    const url = listen ? `http://${dialOfListen(listen)}` : undefined;
    specs.push({
      name: entry.name,
      command: self.execPath,
      args: [...self.prefix, '--dir', project.paths.root, entry.command, ...entry.args],
      url,
      // A process without an address is ready once it says so in its log (it has loaded the files).
      ready: url ? { kind: 'http', url: `${url}${entry.readyPath ?? '/'}` } : { kind: 'log-line', pattern: entry.readyLine ?? '.' },
    });
  }
  return specs;
}
