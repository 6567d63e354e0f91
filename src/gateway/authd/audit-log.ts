// The audit trail of authd: one JSON line per decision in the state dir (mode 0600), rotated by
// size and/or time with a retention (rotating-file-stream), optionally also on stdout for a
// cluster's log pipeline. It records who, what and why — never a token or a key.
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import type { AuditEntry } from '../../core/state/audit-trail.js';
import { rotatedName, rotationInterval } from '../../core/state/rotated-files.js';

export type { AuditEntry };

export interface AuditLogOptions {
  /** Rotate when the file reaches this many bytes. */
  maxBytes?: number;
  /** Rotate at least this often (ms; whole days, hours dividing 24 or minutes dividing 60). */
  rotateEveryMs?: number;
  /** Rotated files kept (older ones are deleted). */
  keep?: number;
  /** Also write each line to stdout. */
  stdout?: boolean;
}

export class AuditLog {
  private readonly stream: RotatingFileStream;
  /** Lines of this tick, written together: one write (and size check) per batch, not per decision. */
  private pending: string[] = [];
  private readonly stdout: boolean;
  /** `{"time":"<ISO time of stampMs>",`: the lines of one millisecond share it. */
  private stampMs = -1;
  private linePrefix = '';

  constructor(readonly file: string, options: AuditLogOptions = {}) {
    mkdirSync(dirname(file), { recursive: true });
    const name = basename(file);
    this.stdout = options.stdout ?? false;
    this.stream = createStream((time: number | Date | null, index?: number) => (time ? rotatedName(name, time as Date, index ?? 1) : name), {
      path: dirname(file),
      size: `${options.maxBytes ?? 100_000_000}B`,
      ...(options.rotateEveryMs ? { interval: rotationInterval(options.rotateEveryMs) ?? '1d' } : {}),
      maxFiles: options.keep ?? 10,
      history: `.${name}.history`,
      mode: 0o600,
    });
    this.stream.on('error', (err) => process.stderr.write(`authd: audit log ${file}: ${err.message}\n`));
    this.stream.on('warning', (err) => process.stderr.write(`authd: audit log ${file}: ${(err as Error).message}\n`));
  }

  record(entry: Omit<AuditEntry, 'time'>): void {
    const now = Date.now();
    if (now !== this.stampMs) {
      this.stampMs = now;
      this.linePrefix = `{"time":${JSON.stringify(new Date(now).toISOString())},`;
    }
    // Exactly JSON.stringify({ time, ...entry }), without copying the entry: `time` first, then its fields.
    const fields = JSON.stringify(entry);
    const line = fields === '{}' ? `${this.linePrefix.slice(0, -1)}}\n` : `${this.linePrefix}${fields.slice(1)}\n`;
    if (this.pending.push(line) === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    if (!this.pending.length) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.stream.write(chunk);
    if (this.stdout) process.stdout.write(chunk);
  }

  close(): Promise<void> {
    this.flush();
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}
