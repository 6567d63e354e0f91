// What every command needs: where the checkout is, how to print, whether to prompt.
import type { Command } from 'commander';
import type { Project } from '../core/config/project.js';
import { projectPaths, type ProjectPaths } from '../core/config/paths.js';
import { formatIssue, type ConfigIssue } from '../core/config/issues.js';
import { colorWanted, Output } from './output.js';

export interface GlobalOptions {
  dir?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  debug?: boolean;
  input?: boolean;
}

/** A project for commands that only read, with the registry.d files it left out. */
export type ReadableProject = Project & { leftOut: { file: string; issues: ConfigIssue[] }[] };

export interface CliContext {
  paths: ProjectPaths;
  out: Output;
  /** Prompts are allowed: stdin is a TTY and --no-input was not given. */
  interactive: boolean;
  debug: boolean;
  loadProject(): Promise<Project>;
  /**
   * For read-only commands (list, show, status, keys list): a registry.d file that does not
   * validate is left out with a warning naming it, and the rest is shown.
   */
  loadProjectForReading(): Promise<ReadableProject>;
}

/** The checkout a command runs in: -C, else $MCPGW_DIR, else the current directory. */
export function checkoutRoot(command: Command): string {
  return command.optsWithGlobals<GlobalOptions>().dir ?? process.env.MCPGW_DIR ?? process.cwd();
}

/** Build the context from the options of the command being run (and its parents). */
export function contextFor(command: Command): CliContext {
  const opts = command.optsWithGlobals<GlobalOptions>();
  const root = checkoutRoot(command);
  const paths = projectPaths(root);
  const out = new Output({ json: Boolean(opts.json), quiet: Boolean(opts.quiet), color: colorWanted(opts.color) });
  let project: Promise<Project> | undefined;
  let readable: Promise<ReadableProject> | undefined;
  return {
    paths,
    out,
    interactive: Boolean(process.stdin.isTTY) && opts.input !== false && !process.env.CI,
    debug: Boolean(opts.debug),
    // The loaders (zod, yaml) load on first use, so --help and --version start fast.
    loadProject: () => (project ??= import('../core/config/project.js').then((m) => m.loadProject(root))),
    loadProjectForReading: () =>
      (readable ??= import('../core/config/project.js').then(async (m) => {
        const { project: loaded, leftOut } = await m.loadProjectForReading(root);
        for (const bad of leftOut) out.warn(`${bad.file} left out: ${bad.issues[0] ? formatIssue(bad.issues[0]) : 'does not validate'}${bad.issues.length > 1 ? ` (+${bad.issues.length - 1} more; see \`mcpgw validate\`)` : ''}`);
        return { ...loaded, leftOut };
      })),
  };
}
