// Verified identities and decisions, kept in memory for as long as the credential is valid, so
// the hot path does no crypto and no network. Bounded; cleared whenever policy or keys change.

interface Entry<T> {
  value: T;
  until: number;
}

export class ExpiringCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly maxEntries = 50_000) {}

  get(key: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, until: number): void {
    if (this.entries.size >= this.maxEntries) {
      // Drop the oldest tenth (Map keeps insertion order): cheap and good enough for a cache.
      let drop = Math.ceil(this.maxEntries / 10);
      for (const k of this.entries.keys()) {
        this.entries.delete(k);
        if (--drop === 0) break;
      }
    }
    this.entries.set(key, { value, until });
  }

  /** Drop every entry whose key passes `test` (a scan: for rare events, not the hot path). */
  deleteWhere(test: (key: string) => boolean): void {
    for (const key of this.entries.keys()) if (test(key)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
