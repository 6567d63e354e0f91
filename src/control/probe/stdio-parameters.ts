// How a stdio service's child is started for probing: its argv, and the same working directory
// and environment the stdio host gives it (core/config/stdio-child).
import type { StdioServerParameters } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { childEnvironment, childWorkingDirectory } from '../../core/config/stdio-child.js';

export function stdioServerParameters(svc: ServiceDefinition, argv: string[], baseDir: string, env: NodeJS.ProcessEnv = process.env): StdioServerParameters {
  return {
    command: argv[0]!,
    args: argv.slice(1),
    env: childEnvironment(svc, baseDir, env),
    cwd: childWorkingDirectory(svc, baseDir),
    // Piped so a chatty server does not write into mcpgw's own output; the tail explains failures.
    stderr: 'pipe',
  };
}
