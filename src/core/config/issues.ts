// Located problems in configuration files: one line per problem, with where, what and how to fix.
import { McpgwError } from '../errors.js';

export type IssueSeverity = 'error' | 'warning';

export interface ConfigIssue {
  /** Stable machine-readable code, e.g. `E_UNKNOWN_FIELD`. */
  code: string;
  severity: IssueSeverity;
  file: string;
  line?: number;
  column?: number;
  /** Dotted path of the field, e.g. `upstream` or `health.interval`. */
  field?: string;
  message: string;
  hint?: string;
}

/** `file:line:column field: message — hint`. The severity is the caller's prefix (`error:`, `warning:`), said once. */
export function formatIssue(issue: ConfigIssue): string {
  const where = [issue.file, issue.line, issue.column].filter((p) => p !== undefined).join(':');
  const field = issue.field ? ` ${issue.field}:` : '';
  const hint = issue.hint ? ` — ${issue.hint}` : '';
  return `${where}${field} ${issue.message}${hint}`;
}

export function hasErrors(issues: readonly ConfigIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** Thrown when files do not validate; carries every issue found, not only the first. */
export class ConfigInvalidError extends McpgwError {
  constructor(readonly issues: ConfigIssue[]) {
    super('ERR_CONFIG_INVALID', issues.filter((i) => i.severity === 'error').map(formatIssue).join('\n'), 'invalid-input', { details: { issues } });
  }
}

/** Ordered by file, then position, so output is stable for people and for diffs in CI logs. */
export function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}
