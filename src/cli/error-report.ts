// Every error a command can end with, turned into what the user sees: one line (plus a hint),
// the documented exit code, and the --json envelope's `error` object. One table, so the text
// and the JSON never disagree.
import { CommanderError } from 'commander';
import { ConfigInvalidError, formatIssue, type ConfigIssue } from '../core/config/issues.js';
import { McpgwError } from '../core/errors.js';
import { CliError, EXIT, exitCodeOf, type ExitCode } from './exit-codes.js';

export interface ErrorReport {
  exitCode: ExitCode;
  code: string;
  message: string;
  hint?: string;
  /** Located problems of files that do not validate. */
  issues?: ConfigIssue[];
  data?: unknown;
}

export function describeError(err: unknown): ErrorReport {
  if (err instanceof CliError) return { exitCode: err.exitCode, code: err.code, message: err.message, hint: err.hint, data: err.data };
  if (err instanceof ConfigInvalidError) {
    const errors = err.issues.filter((i) => i.severity === 'error');
    return { exitCode: EXIT.INVALID, code: err.code, message: `${errors.length} problem(s) in the checkout's files`, hint: 'fix each one (`mcpgw validate` lists them all)', issues: err.issues };
  }
  // Every other error of ours: the exit code of its kind (core/errors.ts).
  if (err instanceof McpgwError) return { exitCode: exitCodeOf(err.kind), code: err.code, message: err.message, hint: err.hint };
  const message = err instanceof Error ? err.message : String(err);
  return { exitCode: EXIT.RUNTIME, code: 'ERR_INTERNAL', message, hint: 'run with --debug for details' };
}

/** The lines a person reads on stderr. */
export function errorLines(report: ErrorReport): string[] {
  const lines = (report.issues ?? []).map((issue) => `${issue.severity}: ${formatIssue(issue)}`);
  if (!report.issues) lines.push(`error: ${report.message}`);
  if (report.hint && !report.issues) lines.push(`hint: ${report.hint}`);
  return lines;
}

/** The --json envelope of a failure: `{ok: false, error: {code, message, hint?, issues?}, data?}`. */
export function errorEnvelope(report: ErrorReport): { ok: false; error: Record<string, unknown>; data?: unknown } {
  const error: Record<string, unknown> = { code: report.code, message: report.message };
  if (report.hint) error.hint = report.hint;
  if (report.issues) error.issues = report.issues;
  return report.data === undefined ? { ok: false, error } : { ok: false, error, data: report.data };
}

export function isUsageError(err: unknown): err is CommanderError {
  return err instanceof CommanderError;
}
