// The limit fields of scopes.yml (what a caller may spend) and registry.d (what an upstream can
// take): `rate: 60/min`, `burst: 10`, per tool, and per-caller concurrency. Schemas only.
import { z } from 'zod';
import { duration } from './common.js';

const RATE = /^(\d+)\s*\/\s*(\d+)?\s*(s|sec|second|m|min|minute|h|hour|d|day)$/;
const PERIOD_S: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600, d: 86_400, day: 86_400 };

/** `60/min` → 60 calls per 60 s; `5/10s` → 5 calls per 10 s. */
export interface Rate {
  count: number;
  periodSeconds: number;
  /** As written, for messages. */
  text: string;
}

export function parseRate(text: string): Rate | undefined {
  const m = RATE.exec(text.trim());
  if (!m) return undefined;
  const count = Number(m[1]);
  const periodSeconds = Number(m[2] ?? 1) * PERIOD_S[m[3]!]!;
  if (count < 1 || periodSeconds < 1) return undefined;
  return { count, periodSeconds, text: text.trim() };
}

const rate = z.string().transform((v, ctx) => {
  const parsed = parseRate(v);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a rate`, params: { code: 'E_BAD_RATE' } });
    return z.NEVER;
  }
  return parsed;
});

/**
 * The window a rate is counted in: `burst` calls per `burst / rate` (whole seconds, rounded up,
 * so never more than the rate). Without a burst the window is the rate's own period.
 */
export function limitWindow(r: Rate, burst?: number): { points: number; seconds: number } {
  if (burst === undefined) return { points: r.count, seconds: r.periodSeconds };
  return { points: burst, seconds: Math.ceil((r.periodSeconds * burst) / r.count) };
}

/** A burst so small that its window would be under a second cannot be counted in whole seconds. */
function checkBurst(value: { rate?: Rate; burst?: number }, ctx: z.RefinementCtx): void {
  if (value.burst !== undefined && value.rate === undefined) {
    ctx.addIssue({ code: 'custom', path: ['burst'], message: 'needs a rate beside it', params: { code: 'E_BURST_WITHOUT_RATE', hint: 'add a rate, e.g. rate: 60/min' } });
  }
  if (value.rate && value.burst !== undefined && value.burst >= 1 && (value.rate.periodSeconds * value.burst) / value.rate.count < 1) {
    const perSecond = Math.ceil(value.rate.count / value.rate.periodSeconds);
    ctx.addIssue({ code: 'custom', path: ['burst'], message: `${value.burst} refills in under a second at ${value.rate.text}; limits count whole seconds`, params: { code: 'E_BURST_TOO_SMALL', hint: `use burst: ${perSecond} or more` } });
  }
}

const rateFields = { rate: rate.optional(), burst: z.number().int().positive().optional() };

export const rateLimitSchema = z.object(rateFields).strict().superRefine(checkBurst);
export type RateLimit = z.infer<typeof rateLimitSchema>;

/** scopes.yml, under a server grant: what each caller of the scope may spend on that server. */
export const callerLimitsSchema = z
  .object({ ...rateFields, tools: z.record(rateLimitSchema).default({}) })
  .strict()
  .superRefine(checkBurst);
export type CallerLimits = z.infer<typeof callerLimitsSchema>;

/** registry.d, beside `limits.max_concurrent` etc.: what the upstream takes from all callers together. */
export const serviceLimitFields = {
  ...rateFields,
  tools: z.record(rateLimitSchema).default({}),
  /** tools/call admitted per caller within one `lease` (authd sees a call start, never its end). */
  concurrent_per_caller: z.number().int().positive().optional(),
  lease: duration.optional(),
};
export { checkBurst as checkServiceBurst };

/** redis://user:secret@host — a password in the file itself (a reference is fine). */
function hasInlinePassword(url: string): boolean {
  if (url.includes('${')) return false;
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

/** mcpgw.yaml `limits:` — where the counters live. */
export const limitsSettingsSchema = z
  .object({
    redis: z
      .object({
        /** redis://host:port[/db] or a reference such as ${env:REDIS_URL}; resolved when authd starts. */
        url: z
          .string()
          .min(1)
          .refine((url) => !hasInlinePassword(url), { message: 'holds a password written inline', params: { code: 'E_INLINE_SECRET', hint: 'write the whole URL by reference: url: "${env:REDIS_URL}"' } }),
        /** Redis unreachable: `open` counts on each node alone, `closed` refuses metered calls (503). */
        on_unavailable: z.enum(['open', 'closed']).default('open'),
        /** A Redis command slower than this counts as unreachable (authd keeps its own latency). */
        command_timeout: duration.default('100ms'),
        key_prefix: z.string().min(1).default('mcpgw:limits'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .default({});
export type LimitsSettings = z.infer<typeof limitsSettingsSchema>;

export const LIMITS_HINTS = {
  rate: 'use calls per period: 60/min, 10/s, 1000/h or 5/10s',
  burst: 'use a whole number of calls allowed at once, e.g. burst: 10',
  concurrent_per_caller: 'use a whole number, e.g. concurrent_per_caller: 2',
  lease: 'use a duration like 30s (how long a call counts as in flight)',
  on_unavailable: 'use open (count on each node alone) or closed (refuse metered calls)',
  command_timeout: 'use a duration like 100ms',
} as const;
