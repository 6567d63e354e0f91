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

/** An error meant for the user: one clear line and an exit code, no stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: ExitCode = EXIT.INVALID, readonly hint?: string) {
    super(message);
    this.name = 'CliError';
  }
}
