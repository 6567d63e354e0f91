// How a stdio service's child is started for probing: its argv, a minimal environment (the
// SDK's safe defaults such as PATH and HOME, the names in `env_allow`, and `env:` with secret
// references resolved now), and its working directory relative to the checkout.
import { isAbsolute, resolve } from 'node:path';
import { getDefaultEnvironment, type StdioServerParameters } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { resolveSecretMap } from '../../core/config/secrets.js';

export function stdioServerParameters(svc: ServiceDefinition, argv: string[], baseDir: string, env: NodeJS.ProcessEnv = process.env): StdioServerParameters {
  const spec = typeof svc.command === 'object' && !Array.isArray(svc.command) ? svc.command : undefined;
  const allowed = Object.fromEntries((spec?.env_allow ?? []).flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]])));
  return {
    command: argv[0]!,
    args: argv.slice(1),
    env: { ...getDefaultEnvironment(), ...allowed, ...resolveSecretMap(spec?.env, baseDir, env) },
    cwd: spec?.cwd ? (isAbsolute(spec.cwd) ? spec.cwd : resolve(baseDir, spec.cwd)) : baseDir,
    // Piped so a chatty server does not write into mcpgw's own output; the tail explains failures.
    stderr: 'pipe',
  };
}
