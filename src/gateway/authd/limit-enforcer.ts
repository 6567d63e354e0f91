// authd's limit step, after policy allowed a request and before Caddy reaches the upstream:
// charge every limit the request spends (a batch as a whole), refuse with 429 + Retry-After
// naming the limit, and report what a caller has left (GET /limits).
import { resolveSecrets } from '../../core/config/secrets.js';
import type { Settings } from '../../core/config/settings.js';
import type { JsonRpcId } from '../../core/wire/mcp-request.js';
import { limitCharges, callerLimits, limitStatus, type LimitCharge, type LimitRequest, type LimitStatus } from '../../core/policy/limits.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { Identity } from '../../core/identity/identity.js';
import type { Policy } from '../../core/policy/policy.js';
import { memoryLimitCounters, LimitStoreUnavailableError, type LimitCounters } from './limit-counters.js';
import { redisLimitCounters } from './redis-limit-counters.js';
import { AuthdRefusal, refusal, type AuthdAnswer } from './rpc-answer.js';

/** Refusals have a stable audit reason (what metrics count); the limit's name travels beside it. */
export const LIMIT_REASONS = { limited: 'rate_limited', unavailable: 'limits_unavailable' } as const;

export type LimitVerdict =
  | { admitted: true }
  | { admitted: false; reason: typeof LIMIT_REASONS.limited; limit: LimitCharge; retryAfterSeconds: number; /** The request alone needs more than the limit's whole window. */ neverFits: boolean }
  | { admitted: false; reason: typeof LIMIT_REASONS.unavailable; message: string };

/** The counters mcpgw.yaml asks for: Redis when `limits.redis` is set, this process otherwise. */
export function limitCountersFor(settings: Settings, root: string, log: (line: string) => void): LimitCounters {
  const redis = settings.limits.redis;
  if (!redis) return memoryLimitCounters();
  return redisLimitCounters(redis, resolveSecrets(redis.url, root), log);
}

const ADMITTED: LimitVerdict = Object.freeze({ admitted: true });

export class LimitEnforcer {
  constructor(readonly counters: LimitCounters) {}

  /** The verdict on a request; at once (no promise to wait for) when it spends no limit, as most do. */
  admit(request: LimitRequest): LimitVerdict | Promise<LimitVerdict> {
    const charges = limitCharges(request);
    return charges.length === 0 ? ADMITTED : this.charge(charges);
  }

  private async charge(charges: LimitCharge[]): Promise<LimitVerdict> {
    const results = await Promise.allSettled(charges.map((c) => this.counters.consume(c.key, c.rule, c.points)));
    const counted = charges.filter((_, i) => results[i]!.status === 'fulfilled');
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const refused = charges.flatMap((charge, i) => {
      const r = results[i]!;
      return r.status === 'fulfilled' && !r.value.allowed ? [{ charge, ms: r.value.msBeforeNext }] : [];
    });
    if (!failed && refused.length === 0) return ADMITTED;
    // Refused as a whole: nothing of this request stays counted (best effort when the store is gone).
    await Promise.allSettled(counted.map((c) => this.counters.refund(c.key, c.rule, c.points)));
    if (failed) {
      if (!(failed.reason instanceof LimitStoreUnavailableError)) throw failed.reason;
      return { admitted: false, reason: LIMIT_REASONS.unavailable, message: failed.reason.message };
    }
    // The request fits again only when every refused limit has refilled: wait for the slowest.
    const slowest = refused.reduce((a, b) => (b.ms > a.ms ? b : a));
    return { admitted: false, reason: LIMIT_REASONS.limited, limit: slowest.charge, retryAfterSeconds: Math.max(1, Math.ceil(slowest.ms / 1000)), neverFits: slowest.charge.points > slowest.charge.rule.points };
  }

  /** Every limit that applies to the caller, with what is left now. */
  async report(policy: Policy, services: Iterable<ServiceDefinition>, identity: Pick<Identity, 'kind' | 'subject' | 'groups'>): Promise<LimitStatus[]> {
    const limits = callerLimits(policy, services, identity);
    return Promise.all(
      limits.map(async (l) => {
        try {
          return limitStatus(l, await this.counters.peek(l.key, l.rule));
        } catch (err) {
          if (!(err instanceof LimitStoreUnavailableError)) throw err;
          return limitStatus(l);
        }
      }),
    );
  }

  close(): Promise<void> {
    return this.counters.close();
  }
}

/** The answer for a refused request: 429 + Retry-After naming the limit, or 503 when the counters are gone (`closed`). */
export function limitAnswer(verdict: Exclude<LimitVerdict, { admitted: true }>, replyId: JsonRpcId, server: string, calls: number): AuthdAnswer {
  if (verdict.reason === LIMIT_REASONS.unavailable) {
    return refusal(replyId, new AuthdRefusal('ERR_LIMITS_UNAVAILABLE', 'rate limits cannot be checked now (the shared counters are unreachable and limits.redis.on_unavailable is closed)', 'unavailable', { server }), { 'retry-after': '1' });
  }
  const { limit, retryAfterSeconds, neverFits } = verdict;
  const what = calls > 1 ? `the batch of ${calls} calls exceeds` : 'exceeds';
  const message = neverFits
    ? `${what} limit "${limit.name}" (${limit.declared}): it needs ${limit.points} calls and the limit allows ${limit.rule.points} per ${limit.rule.seconds}s; the batch is refused as a whole`
    : `${what} limit "${limit.name}" (${limit.declared})${calls > 1 ? '; the batch is refused as a whole' : ''}; retry in ${retryAfterSeconds}s`;
  const details = { server, limit: limit.name, kind: limit.kind, per: limit.per, declared: limit.declared, source: limit.source, retry_after_s: retryAfterSeconds };
  return refusal(replyId, new AuthdRefusal('ERR_RATE_LIMITED', message, 'limited', details), { 'retry-after': String(retryAfterSeconds) });
}
