// What it takes to start one stdio server: argv, working directory and environment, derived
// from a service definition. Pure: secret references are resolved here but never logged.
import { isAbsolute, resolve } from 'node:path';
import { commandArgv } from '../../core/config/service-summary.js';
import { resolveSecretMap } from '../../core/config/secrets.js';
import type { ServiceDefinition } from '../../core/config/service.js';

/** Variables of mcpgw's environment every child gets; anything else only through `env_allow`. */
const ALWAYS_PASSED = ['PATH', 'HOME'];

export interface ChildSpec {
  service: string;
  argv: [string, ...string[]];
  cwd: string;
  /** Resolved at each start, so a rotated secret file or variable is picked up on restart. */
  resolveEnv(): Record<string, string>;
  concurrency: 'per-service' | 'per-session';
  limits: { maxConcurrent?: number; timeoutMs?: number; memoryMb?: number };
}

type CommandOptions = { env?: Record<string, string>; cwd?: string; env_allow?: string[]; concurrency?: 'per-service' | 'per-session' };

function commandOptions(svc: ServiceDefinition): CommandOptions {
  const cmd = svc.command;
  return typeof cmd === 'object' && !Array.isArray(cmd) ? cmd : {};
}

/**
 * The child's environment: PATH, HOME, the allow-listed variables of `parentEnv`, then
 * `command.env` with `${env:…}`/`${file:…}` resolved (throws SecretResolutionError).
 */
export function childEnvironment(svc: ServiceDefinition, projectRoot: string, parentEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const options = commandOptions(svc);
  const env: Record<string, string> = {};
  for (const name of [...ALWAYS_PASSED, ...(options.env_allow ?? [])]) {
    const value = parentEnv[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...resolveSecretMap(options.env, projectRoot, parentEnv) };
}

/** The stdio services the host serves: enabled and started by a command. */
export function isHostedService(svc: ServiceDefinition): boolean {
  return svc.enabled && svc.transport === 'stdio' && svc.command !== undefined;
}

export function childSpec(svc: ServiceDefinition, projectRoot: string, parentEnv: NodeJS.ProcessEnv = process.env): ChildSpec {
  const argv = commandArgv(svc);
  if (!argv?.length) throw new Error(`service ${svc.name} has no command`);
  const options = commandOptions(svc);
  const cwd = options.cwd === undefined ? projectRoot : isAbsolute(options.cwd) ? options.cwd : resolve(projectRoot, options.cwd);
  return {
    service: svc.name,
    argv: argv as [string, ...string[]],
    cwd,
    resolveEnv: () => childEnvironment(svc, projectRoot, parentEnv),
    concurrency: options.concurrency ?? 'per-service',
    limits: { maxConcurrent: svc.limits.max_concurrent, timeoutMs: svc.limits.timeout, memoryMb: svc.limits.memory_mb },
  };
}
