// The audit trail of authd: one JSON line per decision in the state dir (mode 0600). It records
// who, what and why — never a token or a key.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Identity } from '../../core/identity/identity.js';

export interface AuditEntry {
  time: string;
  identity: Pick<Identity, 'subject' | 'kind' | 'groups'> | null;
  server: string;
  method: string | null;
  tool: string | null;
  decision: 'allow' | 'deny';
  status: number;
  /** Why; refusals by a limit say `rate_limited` (or `limits_unavailable`) and name the limit below. */
  reason: string;
  /** The limit that refused the call (429), e.g. `scope everyday on everything, tool echo`. */
  limit?: string;
}

export class AuditLog {
  private readonly stream: WriteStream;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
    this.stream.on('error', (err) => process.stderr.write(`authd: audit log ${file}: ${err.message}\n`));
  }

  record(entry: Omit<AuditEntry, 'time'>): void {
    this.stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
