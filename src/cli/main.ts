// Entry point: run the program and turn errors into one clear line (or the --json envelope)
// and a documented exit code. A reader that stops early (`mcpgw list | head`) ends the run
// quietly: EPIPE on stdout is handled here, once, for every command.
import { CommanderError, type Command } from 'commander';
import { createProgram } from './program.js';
import { EXIT } from './exit-codes.js';
import { describeError, errorEnvelope, errorLines } from './error-report.js';

/** The reader of our output went away (`| head`): nothing more to say, and nobody to say it to. */
export function exitQuietlyOnClosedStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode === undefined ? EXIT.OK : Number(process.exitCode));
    throw err;
  });
}

/** Usage errors of subcommands too must reach `report` (for the --json envelope), not process.exit. */
function throwInsteadOfExit(command: Command): Command {
  command.exitOverride();
  for (const sub of command.commands) throwInsteadOfExit(sub);
  return command;
}

export async function run(argv: string[]): Promise<number> {
  const program = throwInsteadOfExit(createProgram());
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
    if (err.exitCode === 0) return EXIT.OK;
    if (json) process.stdout.write(`${JSON.stringify(errorEnvelope({ exitCode: EXIT.INVALID, code: 'ERR_USAGE', message: err.message.replace(/^error: /, ''), hint: 'run with --help for usage' }))}\n`);
    return EXIT.INVALID;
  }
  const described = describeError(err);
  if (json) process.stdout.write(`${JSON.stringify(errorEnvelope(described), null, 2)}\n`);
  for (const line of errorLines(described)) write(line);
  if (debug && err instanceof Error) write(err.stack ?? '');
  return described.exitCode;
}

// Run when executed directly (bin/mcpgw.js imports this module).
exitQuietlyOnClosedStdout();
const code = await run(process.argv);
process.exitCode = code;
