// The proxy side, measured by Caddy: each scrape reads the access-log lines Caddy wrote since the
// last one (status and duration of every request) and counts the requests authd allowed, per
// service and tool. The request id joins an access line to authd's decision (see access-log.ts).
import { open, stat } from 'node:fs/promises';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { AccessLine } from '../../core/state/access-log.js';


/** Decisions waiting for their access line; the oldest go first beyond this many. */
const PENDING_LIMIT = 100_000;
/** At most this much of the log is read per scrape (the rest waits for the next). */
const READ_LIMIT = 64 * 1024 * 1024;

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

export interface UpstreamTarget {
  readonly service: string;
  readonly tool: string;
}

export class UpstreamMetrics {
  /** Request id → its (bounded) labels; the objects are shared per label pair, not one per request. */
  private readonly pending = new Map<string, UpstreamTarget>();
  /** Insertion order of `pending` as a ring: evicting the oldest is O(1) (a Map's first key is not, after many deletes). */
  private readonly order: (string | undefined)[] = new Array(PENDING_LIMIT);
  private next = 0;
  private offset = 0;
  private inode = -1;
  private partial = '';
  private readonly requests: Counter<'service' | 'tool' | 'code'>;
  private readonly duration: Histogram<'service' | 'tool'>;

  constructor(registry: Registry, private readonly accessLog: string) {
    const self = this;
    this.requests = new Counter({
      name: 'mcpgw_upstream_requests_total',
      help: 'Requests authd allowed, by the status class Caddy answered with (from Caddy\'s access log).',
      labelNames: ['service', 'tool', 'code'],
      registers: [registry],
      async collect() {
        await self.readNewLines();
      },
    });
    this.duration = new Histogram({
      name: 'mcpgw_upstream_duration_seconds',
      help: 'Duration of allowed requests through the gateway as Caddy measured them (authd included; an SSE stream lasts as long as it is open).',
      labelNames: ['service', 'tool'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
  }

  /** authd allowed request `id` for this (already bounded) service and tool label. */
  allowed(id: string, target: UpstreamTarget): void {
    if (this.pending.has(id)) return;
    const evicted = this.order[this.next];
    if (evicted !== undefined) this.pending.delete(evicted);
    this.order[this.next] = id;
    this.next = (this.next + 1) % PENDING_LIMIT;
    this.pending.set(id, target);
  }

  /** Count one access line (exported for tests of the join). */
  count(line: AccessLine): void {
    const decided = line.user_id ? this.pending.get(line.user_id) : undefined;
    if (!decided || typeof line.status !== 'number') return;
    this.pending.delete(line.user_id!);
    this.requests.inc({ ...decided, code: statusClass(line.status) });
    if (typeof line.duration === 'number') this.duration.observe(decided, line.duration);
  }

  private async readNewLines(): Promise<void> {
    const info = await stat(this.accessLog).catch(() => undefined);
    if (!info) return;
    // Caddy rolled the file (new inode) or it was truncated: start at the new file's beginning.
    if (info.ino !== this.inode || info.size < this.offset) [this.inode, this.offset, this.partial] = [info.ino, 0, ''];
    if (info.size === this.offset) return;
    const length = Math.min(info.size - this.offset, READ_LIMIT);
    const file = await open(this.accessLog, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, this.offset);
      this.offset += bytesRead;
      const text = this.partial + buffer.subarray(0, bytesRead).toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.count(JSON.parse(line) as AccessLine);
        } catch {
          // not a JSON line
        }
      }
    } finally {
      await file.close();
    }
  }
}
