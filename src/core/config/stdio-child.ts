// How a stdio service's process is started — its working directory and environment. One rule for
// the prober and the stdio host, so a probe sees the server exactly as agents will reach it.
import { isAbsolute, resolve } from 'node:path';
import { resolveSecretMap } from './secrets.js';
import type { ServiceDefinition } from './service.js';

/** Variables of mcpgw's own environment every child gets; anything else only through `env_allow`. */
export const ALWAYS_PASSED_ENV = ['PATH', 'HOME'] as const;

type CommandOptions = { env?: Record<string, string>; cwd?: string; env_allow?: string[]; concurrency?: 'per-service' | 'per-session' };

/** The object form of `command:` ({run, env, cwd, env_allow, concurrency}); {} for a plain command line. */
export function commandOptions(svc: ServiceDefinition): CommandOptions {
  const cmd = svc.command;
  return typeof cmd === 'object' && !Array.isArray(cmd) ? cmd : {};
}

/** `command.cwd`, relative to the checkout; the checkout itself when absent. */
export function childWorkingDirectory(svc: ServiceDefinition, projectRoot: string): string {
  const { cwd } = commandOptions(svc);
  if (cwd === undefined) return projectRoot;
  return isAbsolute(cwd) ? cwd : resolve(projectRoot, cwd);
}

/**
 * The child's environment: PATH, HOME, the `env_allow` names of `parentEnv`, then `command.env`
 * with `${env:…}`/`${file:…}` resolved now (throws SecretResolutionError; values never logged).
 */
export function childEnvironment(svc: ServiceDefinition, projectRoot: string, parentEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const options = commandOptions(svc);
  const env: Record<string, string> = {};
  for (const name of [...ALWAYS_PASSED_ENV, ...(options.env_allow ?? [])]) {
    const value = parentEnv[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...resolveSecretMap(options.env, projectRoot, parentEnv) };
}
