// Entry point: run the program and turn errors into one clear line and a documented exit code.
import { CommanderError } from 'commander';
import { ConfigInvalidError, formatIssue } from '../core/config/issues.js';
import { ServiceExistsError, ServiceNotFoundError } from '../core/config/service-files.js';
import { SecretResolutionError } from '../core/config/secrets.js';
import { createProgram } from './program.js';
import { CliError, EXIT } from './exit-codes.js';

export async function run(argv: string[]): Promise<number> {
  const program = createProgram().exitOverride();
  const debug = argv.includes('--debug');
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    return report(err, debug, json);
  }
}

function report(err: unknown, debug: boolean, json: boolean): number {
  const write = (line: string) => process.stderr.write(`${line}\n`);
  if (err instanceof CommanderError) {
    // Help and version exit 0; usage errors were already printed by commander.
    return err.exitCode === 0 ? EXIT.OK : EXIT.INVALID;
  }
  if (err instanceof ConfigInvalidError) {
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, issues: err.issues }, null, 2)}\n`);
    for (const issue of err.issues) write(`${issue.severity === 'error' ? 'error' : 'warning'}: ${formatIssue(issue)}`);
    return EXIT.INVALID;
  }
  if (err instanceof CliError) {
    write(`error: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`);
    if (debug) write(err.stack ?? '');
    return err.exitCode;
  }
  if (err instanceof ServiceNotFoundError || err instanceof ServiceExistsError || err instanceof SecretResolutionError) {
    write(`error: ${err.message}`);
    return EXIT.INVALID;
  }
  const message = err instanceof Error ? err.message : String(err);
  write(`error: ${message}`);
  if (debug && err instanceof Error) write(err.stack ?? '');
  else write('(run with --debug for details)');
  return EXIT.RUNTIME;
}

// Run when executed directly (bin/mcpgw.js imports this module).
const code = await run(process.argv);
process.exitCode = code;
