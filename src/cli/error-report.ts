// Every error a command can end with, turned into what the user sees: one line (plus a hint),
// the documented exit code, and the --json envelope's `error` object. One table, so the text
// and the JSON never disagree.
import { CommanderError } from 'commander';
import { ConfigInvalidError, formatIssue, type ConfigIssue } from '../core/config/issues.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';

export interface ErrorReport {
  exitCode: ExitCode;
  code: string;
  message: string;
  hint?: string;
  /** Located problems of files that do not validate. */
  issues?: ConfigIssue[];
  data?: unknown;
}

/** Errors of bad input by their stable code: nothing was changed, exit 1. */
const INVALID_CODES = new Set(['ERR_SERVICE_NOT_FOUND', 'ERR_SERVICE_EXISTS', 'ERR_SECRET_UNRESOLVED', 'ERR_IMPORT_FORMAT', 'ERR_NO_SNAPSHOT', 'ERR_UNKNOWN_TOOL', 'ERR_NO_CHECKOUT', 'ERR_POLICY_INVALID']);
/** Credentials missing or refused: exit 4. */
const DENIED_CODES = new Set(['ERR_NOT_LOGGED_IN', 'ERR_EXPIRED', 'ERR_REFRESH_REFUSED', 'ERR_LOGIN_DENIED', 'ERR_NO_CREDENTIAL']);

export function describeError(err: unknown): ErrorReport {
  if (err instanceof CliError) return { exitCode: err.exitCode, code: err.code, message: err.message, hint: err.hint, data: err.data };
  if (err instanceof ConfigInvalidError) {
    const errors = err.issues.filter((i) => i.severity === 'error');
    return { exitCode: EXIT.INVALID, code: err.code, message: `${errors.length} problem(s) in the checkout's files`, hint: 'fix each one (`mcpgw validate` lists them all)', issues: err.issues };
  }
  const e = err as { code?: unknown; message?: unknown; hint?: unknown; status?: unknown; name?: unknown } | undefined;
  const message = err instanceof Error ? err.message : String(err);
  const hint = typeof e?.hint === 'string' ? e.hint : undefined;
  const code = typeof e?.code === 'string' && e.code.startsWith('ERR_') ? e.code : undefined;
  if (code && INVALID_CODES.has(code)) return { exitCode: EXIT.INVALID, code, message, hint };
  if (code && DENIED_CODES.has(code)) return { exitCode: EXIT.DENIED, code, message, hint };
  // authd's own errors carry the HTTP status it answers with: 401/403 are denials, 503 a runtime failure.
  if (code && (e?.status === 401 || e?.status === 403)) return { exitCode: EXIT.DENIED, code, message, hint };
  if (code) return { exitCode: EXIT.RUNTIME, code, message, hint };
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
