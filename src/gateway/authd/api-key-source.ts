// The API keys authd accepts, kept apart from the policy: keys.json is checked (one stat) on
// every request that presents a key and re-read when it changed, so `mcpgw keys revoke` is in
// force by the time it returns — decision caches included — and a broken scopes.yml, which
// stops policy reloads, can never keep a revoked key alive. An unreadable file fails closed.
import { statSync } from 'node:fs';
import { readApiKeysSync, type ApiKeyRecord } from '../../core/identity/api-keys.js';

export class ApiKeySource {
  private stamp: string | undefined;
  private records: readonly ApiKeyRecord[] = [];

  constructor(private readonly file: string, private readonly log: (line: string) => void) {
    this.refresh();
  }

  /** The keys as last read (call refresh first on the request path). */
  get current(): readonly ApiKeyRecord[] {
    return this.records;
  }

  /** Re-read keys.json when its stamp moved; true when the keys may have changed. */
  refresh(): boolean {
    let stamp = 'absent';
    try {
      const st = statSync(this.file, { bigint: true });
      // Writes are atomic renames: a new inode; size and times catch editors writing in place.
      stamp = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') stamp = `error:${(err as Error).message}`;
    }
    if (stamp === this.stamp) return false;
    this.stamp = stamp;
    try {
      this.records = readApiKeysSync(this.file);
    } catch (err) {
      this.records = [];
      this.log(`API keys unreadable, accepting none until fixed: ${this.file}: ${(err as Error).message}`);
    }
    return true;
  }
}
