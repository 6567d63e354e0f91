// Many strings stored as one UTF-8 block plus offsets: read one without decoding the rest, and
// binary-search a sorted table over the raw bytes (ids, vocabulary words).

export function encodeStrings(strings: readonly string[]): { offsets: Uint32Array; bytes: Uint8Array } {
  const encoded = strings.map((s) => Buffer.from(s));
  const offsets = new Uint32Array(encoded.length + 1);
  encoded.forEach((b, i) => (offsets[i + 1] = offsets[i]! + b.length));
  return { offsets, bytes: Buffer.concat(encoded) };
}

/** Sort items by the UTF-8 bytes of a key, the order `StringTable` searches in (keys encoded once). */
export function sortByBytes<T>(items: readonly T[], key: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, bytes: Buffer.from(key(item)) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map((x) => x.item);
}

export class StringTable {
  private readonly bytes: Buffer;
  constructor(private readonly offsets: Uint32Array, bytes: Uint8Array) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  get(i: number): string {
    return this.bytes.toString('utf8', this.offsets[i], this.offsets[i + 1]);
  }

  /** The first `key.length` bytes of string i compared with key (0: string i begins with key). */
  private comparePrefix(i: number, key: Buffer): number {
    const from = this.offsets[i]!;
    const to = Math.min(this.offsets[i + 1]!, from + key.length);
    return Buffer.compare(this.bytes.subarray(from, to), key);
  }

  /** First index whose string's prefix compares above (`strict`) or at least (otherwise) `key`. */
  private bound(key: Buffer, strict: boolean): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = this.comparePrefix(mid, key);
      if (cmp < 0 || (strict && cmp === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** In a sorted table: the range [from, to) of strings that begin with `prefix`. */
  prefixRange(prefix: string): [number, number] {
    const key = Buffer.from(prefix);
    return [this.bound(key, false), this.bound(key, true)];
  }

  /** In a sorted table: the index of `value`, or -1. */
  indexOf(value: string): number {
    const key = Buffer.from(value);
    const i = this.bound(key, false);
    if (i >= this.length) return -1;
    return this.offsets[i + 1]! - this.offsets[i]! === key.length && this.comparePrefix(i, key) === 0 ? i : -1;
  }
}
