// One apply at a time per process: pure render → plan → push → wait until authd runs the new
// definitions. A server whose own answer passes through Caddy asks for the apply to run after
// that answer left (Caddy 2.6 cancels requests in flight when its config is replaced).
import type { Project } from '../../core/config/project.js';
import { applyIfRunning, type ApplyReport } from '../caddy/apply.js';
import { waitForAuthd, type AuthdSync } from './authd-sync.js';

/** `now`: apply and report; `{ after }`: once `after` settles (the answer left); `skip`: files only. */
export type ApplyWhen = 'now' | 'skip' | { after: Promise<unknown> };

export interface ApplyOutcome {
  /**
   * true: the gateway runs the change (pushed or already in sync); false: no gateway answers
   * (the next `mcpgw up`/`apply` picks it up), or applying failed (`error`); 'after-answer':
   * applied right after this answer; 'skipped': the files only (`--no-apply`).
   */
  applied: boolean | 'after-answer' | 'skipped';
  /** One line for people. */
  message: string;
  warnings: string[];
  /** Caddy refused or failed: the files changed, the routes did not. */
  error?: { code: string; message: string; hint?: string };
  /** Whether authd runs the new definitions (absent when no apply ran). */
  authd?: AuthdSync;
  /** Per target plans, when an apply ran. */
  report?: ApplyReport;
}

export const NOT_RUNNING = 'gateway not running — the change applies at the next `mcpgw up` or `mcpgw apply`';

async function applyOnce(project: Project): Promise<ApplyOutcome> {
  const report = await applyIfRunning(project);
  if (!report) return { applied: false, message: NOT_RUNNING, warnings: [] };
  const failed = report.results.find((r) => r.error)?.error;
  if (failed) {
    const error = { code: failed.code, message: failed.message, ...(failed.hint ? { hint: failed.hint } : {}) };
    return { applied: false, message: `the files changed, but applying them failed: ${failed.message}`, warnings: report.warnings, error, report };
  }
  // enable/disable leave Caddy in sync: authd decides them, so "applied" means authd has them.
  const authd = await waitForAuthd(project);
  const message = report.inSync ? 'gateway routes unchanged (Caddy not reloaded)' : `applied to ${report.results.map((r) => r.target).join(', ')}`;
  return { applied: true, message, warnings: report.warnings, authd, report };
}

export class SerializedApply {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly waiting = new Set<Promise<unknown>>();
  private readonly listeners = new Set<(outcome: ApplyOutcome) => void>();

  /** `project` is read when the apply starts, so a queued apply pushes the latest files. */
  constructor(private readonly project: () => Project | Promise<Project>) {}

  /** Outcomes of applies that ran after an answer (the web UI shows them, servers log them). */
  onAfterAnswer(listener: (outcome: ApplyOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  run(when: ApplyWhen = 'now'): Promise<ApplyOutcome> {
    if (when === 'skip') return Promise.resolve({ applied: 'skipped', message: 'files changed; not applied (--no-apply)', warnings: [] });
    if (when === 'now') return this.enqueue();
    const later = when.after
      .catch(() => {})
      .then(() => this.enqueue())
      .then((outcome) => {
        for (const listener of this.listeners) listener(outcome);
      })
      .finally(() => this.waiting.delete(later));
    this.waiting.add(later);
    return Promise.resolve({ applied: 'after-answer', message: 'applying to the gateway right after this answer', warnings: [] });
  }

  /** Wait for every apply asked for so far, including those waiting for their answer (shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.waiting]);
    await this.tail;
  }

  private enqueue(): Promise<ApplyOutcome> {
    const next = this.tail.then(async () => {
      try {
        return await applyOnce(await this.project());
      } catch (err) {
        const e = err as Error & { code?: string; hint?: string };
        return { applied: false, message: `applying failed: ${e.message}`, warnings: [], error: { code: e.code ?? 'ERR_APPLY', message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
      }
    });
    this.tail = next;
    return next;
  }
}
