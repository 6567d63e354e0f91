// Exit codes are part of the interface: scripts and CI rely on them (documented in README).
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

/** The error code a CliError carries when it names none: one per exit code. */
export const DEFAULT_ERROR_CODE: Record<ExitCode, string> = {
  0: 'OK',
  1: 'ERR_INVALID',
  2: 'ERR_RUNTIME',
  3: 'ERR_DRIFT',
  4: 'ERR_DENIED',
};

/**
 * An error meant for the user: one clear line and an exit code, no stack trace. `code` is the
 * stable name in the --json envelope; `data` is what the command found before failing (the
 * plan of a drifted apply, the results of an unhealthy probe), printed there as well.
 */
export class CliError extends Error {
  readonly code: string;
  readonly data?: unknown;
  constructor(message: string, readonly exitCode: ExitCode = EXIT.INVALID, readonly hint?: string, extra: { code?: string; data?: unknown } = {}) {
    super(message);
    this.name = 'CliError';
    this.code = extra.code ?? DEFAULT_ERROR_CODE[exitCode];
    this.data = extra.data;
  }
}
