// Background probing for the running gateway: each service on its own schedule, failing ones
// backed off, and health changes published as events (the web UI and gate subscribe).
import { EventEmitter } from 'node:events';
import type { Project } from '../../core/config/project.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { ServiceHealth } from '../../core/state/snapshots.js';
import { probeServices, type ProbeRunOptions } from './probe-run.js';
import { nextCheckDelay, type ScheduleOptions } from './probe-schedule.js';
import { recheckIntervalMs } from '../../core/state/list-caching.js';
import type { RecordedProbe } from './record-probe.js';
import type { ToolChangeRecord } from './tool-change-log.js';

export interface HealthChange {
  service: string;
  /** Undefined on a service's first check. */
  previous?: ServiceHealth;
  current: ServiceHealth;
}

export interface ProbeLoopEvents {
  /** A service's status differs from its last recorded one (or it was checked for the first time). */
  'health-change': [HealthChange];
  /** A service's tool list differs from its last snapshot. */
  'tools-change': [ToolChangeRecord];
  /** Every finished round, with all its results. */
  round: [RecordedProbe[]];
  /** Recording failed (e.g. the state dir is not writable); the loop keeps going. */
  error: [Error];
}

export type ProbeLoopOptions = ProbeRunOptions & ScheduleOptions;

export class ProbeLoop extends EventEmitter<ProbeLoopEvents> {
  private services: ServiceDefinition[] = [];
  private readonly due = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private project: Project, private readonly options: ProbeLoopOptions = {}) {
    super();
    this.setProject(project);
  }

  /** Take a reloaded project: new services are checked now, removed ones are forgotten. */
  /** The project the loop probes now (updated by `update`). */
  get currentProject(): Project {
    return this.project;
  }

  update(project: Project): void {
    this.setProject(project);
    this.wake();
  }

  /** Stop scheduling and wait for a round in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** @internal started by startProbeLoop */
  wake(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    const now = Date.now();
    const batch = this.services.filter((s) => (this.due.get(s.name) ?? 0) <= now);
    if (batch.length === 0) return this.sleepUntilNextDue();
    this.running = this.round(batch).finally(() => {
      this.running = undefined;
      this.wake();
    });
  }

  private setProject(project: Project): void {
    this.project = project;
    this.services = project.services.filter((s) => s.enabled && s.health.enabled);
    const names = new Set(this.services.map((s) => s.name));
    for (const name of this.due.keys()) if (!names.has(name)) this.due.delete(name);
  }

  private sleepUntilNextDue(): void {
    if (this.services.length === 0) return;
    const next = Math.min(...this.services.map((s) => this.due.get(s.name) ?? 0));
    this.timer = setTimeout(() => this.wake(), Math.max(0, next - Date.now()));
  }

  private async round(batch: ServiceDefinition[]): Promise<void> {
    let results: RecordedProbe[];
    try {
      results = await probeServices(this.project, batch, this.options);
    } catch (err) {
      // Retry the batch after its interval rather than spin on a broken state dir.
      for (const svc of batch) this.due.set(svc.name, Date.now() + nextCheckDelay(svc.health.interval, 1, this.options));
      // An 'error' event without a listener would throw inside the timer chain.
      if (this.listenerCount('error') > 0) this.emit('error', err instanceof Error ? err : new Error(String(err)));
      return;
    }
    for (const r of results) {
      const svc = batch.find((s) => s.name === r.service)!;
      // A list whose ttlMs ends before the next check is fetched again when it goes stale.
      this.due.set(r.service, Date.now() + nextCheckDelay(recheckIntervalMs(svc.health.interval, r.caching), r.health.failures ?? 0, this.options));
      if (r.previous?.status !== r.health.status) this.emit('health-change', { service: r.service, previous: r.previous, current: r.health });
      if (r.toolChange) this.emit('tools-change', r.toolChange);
    }
    this.emit('round', results);
  }
}

/**
 * Start probing every enabled service (with `health.enabled`) now and then on its interval.
 * Subscribe to the returned emitter; call `stop()` to end it.
 */
export function startProbeLoop(project: Project, options: ProbeLoopOptions = {}): ProbeLoop {
  const loop = new ProbeLoop(project, options);
  // Listeners attached right after this call must see the first round's events.
  queueMicrotask(() => loop.wake());
  return loop;
}
