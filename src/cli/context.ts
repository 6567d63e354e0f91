// What every command needs: where the checkout is, how to print, whether to prompt.
import type { Command } from 'commander';
import type { Project } from '../core/config/project.js';
import { projectPaths, type ProjectPaths } from '../core/config/paths.js';
import { colorWanted, Output } from './output.js';

export interface GlobalOptions {
  dir?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  debug?: boolean;
  input?: boolean;
}

export interface CliContext {
  paths: ProjectPaths;
  out: Output;
  /** Prompts are allowed: stdin is a TTY and --no-input was not given. */
  interactive: boolean;
  debug: boolean;
  loadProject(): Promise<Project>;
}

/** Build the context from the options of the command being run (and its parents). */
export function contextFor(command: Command): CliContext {
  const opts = command.optsWithGlobals<GlobalOptions>();
  const root = opts.dir ?? process.env.MCPGW_DIR ?? process.cwd();
  const paths = projectPaths(root);
  const out = new Output({ json: Boolean(opts.json), quiet: Boolean(opts.quiet), color: colorWanted(opts.color) });
  let project: Promise<Project> | undefined;
  return {
    paths,
    out,
    interactive: Boolean(process.stdin.isTTY) && opts.input !== false && !process.env.CI,
    debug: Boolean(opts.debug),
    // The loaders (zod, yaml) load on first use, so --help and --version start fast.
    loadProject: () => (project ??= import('../core/config/project.js').then((m) => m.loadProject(root))),
  };
}
