// When to check a service next: its `health.interval` with jitter (so a fleet of services does
// not probe in lockstep), doubled for each consecutive failure up to a ceiling. Pure.

export interface ScheduleOptions {
  /** Fraction of the interval added or taken at random (default 0.1 = ±10 %). */
  jitter?: number;
  /** Longest wait for a failing service (default 5 minutes; never below its interval). */
  maxBackoffMs?: number;
  random?: () => number;
}

export const DEFAULT_JITTER = 0.1;
export const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;

export function nextCheckDelay(intervalMs: number, failures: number, options: ScheduleOptions = {}): number {
  const jitter = options.jitter ?? DEFAULT_JITTER;
  const random = options.random ?? Math.random;
  const ceiling = Math.max(options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS, intervalMs);
  const backedOff = failures > 0 ? Math.min(intervalMs * 2 ** Math.min(failures, 30), ceiling) : intervalMs;
  return Math.max(0, Math.round(backedOff * (1 + jitter * (2 * random() - 1))));
}
