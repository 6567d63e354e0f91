// Exit codes are part of the interface: scripts and CI rely on them (documented in README).
// The CLI's edge of the one error type: every McpgwError kind maps to one exit code here.
import { McpgwError, type ErrorKind } from '../core/errors.js';

export const EXIT = {
  OK: 0,
  /** Invalid input or usage: bad files, bad flags, unknown service. Nothing was changed. */
  INVALID: 1,
  /** Runtime failure: a gateway, provider or server did not answer or refused. */
  RUNTIME: 2,
  /** `apply --dry-run`: the gateway differs from the files (drift). */
  DRIFT: 3,
  /** Not allowed: the caller's identity lacks the right (authd said 401/403). */
  DENIED: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const EXIT_OF_KIND: Record<ErrorKind, ExitCode> = {
  'invalid-input': EXIT.INVALID,
  'not-found': EXIT.INVALID,
  exists: EXIT.INVALID,
  'too-large': EXIT.INVALID,
  unauthenticated: EXIT.DENIED,
  denied: EXIT.DENIED,
  conflict: EXIT.RUNTIME,
  limited: EXIT.RUNTIME,
  unavailable: EXIT.RUNTIME,
  runtime: EXIT.RUNTIME,
};

export function exitCodeOf(kind: ErrorKind): ExitCode {
  return EXIT_OF_KIND[kind];
}

/** The error code a CliError carries when it names none: one per exit code. */
export const DEFAULT_ERROR_CODE: Record<ExitCode, string> = {
  0: 'OK',
  1: 'ERR_INVALID',
  2: 'ERR_RUNTIME',
  3: 'ERR_DRIFT',
  4: 'ERR_DENIED',
};

const KIND_OF_EXIT: Record<ExitCode, ErrorKind> = { 0: 'runtime', 1: 'invalid-input', 2: 'runtime', 3: 'conflict', 4: 'denied' };

/**
 * An error the CLI itself raises (bad flags, drift, an unhealthy probe): one clear line and an
 * exit code, no stack trace. `code` is the stable name in the --json envelope; `data` is what
 * the command found before failing (the plan of a drifted apply, the results of a probe).
 */
export class CliError extends McpgwError {
  readonly data?: unknown;
  constructor(message: string, readonly exitCode: ExitCode = EXIT.INVALID, hint?: string, extra: { code?: string; data?: unknown } = {}) {
    super(extra.code ?? DEFAULT_ERROR_CODE[exitCode], message, KIND_OF_EXIT[exitCode], { hint });
    this.data = extra.data;
  }
}
