// The services `health.gate` withholds right now, for authd: recomputed when the prober
// rewrites health.json and when the definitions reload. Requests only read a Set.
import { unwatchFile, watchFile } from 'node:fs';
import type { ServiceDefinition } from '../../core/config/service.js';
import { gatedServices } from '../../core/state/health-gate.js';
import { readJson, type HealthFile } from '../../core/state/snapshots.js';

/** Polls the file's stat: the prober replaces health.json by rename, which fs.watch loses. */
const POLL_MS = 250;

export class HealthGateSource {
  current: ReadonlySet<string> = new Set();
  private health: HealthFile = {};
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly healthFile: string,
    private readonly services: () => Iterable<ServiceDefinition>,
    private readonly log: (line: string) => void,
  ) {}

  /** Read health.json now; a missing file means nothing was probed yet (nothing withheld). */
  async refresh(): Promise<void> {
    this.reading = this.reading.then(async () => {
      try {
        this.health = (await readJson<HealthFile>(this.healthFile)) ?? {};
      } catch (err) {
        // A half-written or broken file: keep the last good health rather than guess.
        this.log(`health.json unreadable, keeping the last health gate: ${(err as Error).message}`);
      }
      this.recompute();
    });
    return this.reading;
  }

  /** Definitions changed (a service gained or lost `health.gate`, or was removed). */
  recompute(): void {
    const next = gatedServices({ services: [...this.services()] }, this.health);
    const key = (s: ReadonlySet<string>) => [...s].sort().join(',');
    if (key(next) !== key(this.current)) this.log(`health gate: withheld now: ${key(next) || 'none'}`);
    this.current = next;
  }

  watch(): void {
    watchFile(this.healthFile, { interval: POLL_MS }, () => void this.refresh());
  }

  close(): void {
    unwatchFile(this.healthFile);
  }
}
