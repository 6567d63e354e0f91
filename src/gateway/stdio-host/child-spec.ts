// What it takes to start one stdio server: argv, working directory and environment, derived
// from a service definition (cwd and environment: core/config/stdio-child, shared with the prober).
import { commandArgv } from '../../core/config/service-summary.js';
import { childEnvironment, childWorkingDirectory, commandOptions } from '../../core/config/stdio-child.js';
import type { ServiceDefinition } from '../../core/config/service.js';

export interface ChildSpec {
  service: string;
  argv: [string, ...string[]];
  cwd: string;
  /** Resolved at each start, so a rotated secret file or variable is picked up on restart. */
  resolveEnv(): Record<string, string>;
  concurrency: 'per-service' | 'per-session';
  limits: { maxConcurrent?: number; timeoutMs?: number; memoryMb?: number };
}

/** The stdio services the host serves: enabled and started by a command. */
export function isHostedService(svc: ServiceDefinition): boolean {
  return svc.enabled && svc.transport === 'stdio' && svc.command !== undefined;
}

export function childSpec(svc: ServiceDefinition, projectRoot: string, parentEnv: NodeJS.ProcessEnv = process.env): ChildSpec {
  const argv = commandArgv(svc);
  if (!argv?.length) throw new Error(`service ${svc.name} has no command`);
  return {
    service: svc.name,
    argv: argv as [string, ...string[]],
    cwd: childWorkingDirectory(svc, projectRoot),
    resolveEnv: () => childEnvironment(svc, projectRoot, parentEnv),
    concurrency: commandOptions(svc).concurrency ?? 'per-service',
    limits: { maxConcurrent: svc.limits.max_concurrent, timeoutMs: svc.limits.timeout, memoryMb: svc.limits.memory_mb },
  };
}
