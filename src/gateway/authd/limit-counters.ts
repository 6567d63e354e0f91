// Counters behind every limit: one interface, counted by rate-limiter-flexible — in this process
// (RateLimiterMemory) or shared by every authd node (RateLimiterRedis, redis-limit-counters.ts).
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitRule } from '../../core/policy/limits.js';
import { McpgwError } from '../../core/errors.js';

export interface CounterOutcome {
  allowed: boolean;
  /** Calls left in the current window (0 when refused). */
  remaining: number;
  /** Milliseconds until the window restarts. */
  msBeforeNext: number;
}

/** The counter store could not answer (Redis unreachable with `on_unavailable: closed`). */
export class LimitStoreUnavailableError extends McpgwError {
  constructor(cause: unknown) {
    super('ERR_LIMITS_UNAVAILABLE', `the limit counters cannot be reached: ${(cause as Error)?.message ?? cause}`, 'unavailable', { cause });
  }
}

export interface LimitCounters {
  /** Count `points` calls; refused when the window has fewer left (the points stay counted until refunded). */
  consume(key: string, rule: LimitRule, points: number): Promise<CounterOutcome>;
  /** Give points back (a refused batch counts nothing). */
  refund(key: string, rule: LimitRule, points: number): Promise<void>;
  /** What is left now, without counting. */
  peek(key: string, rule: LimitRule): Promise<CounterOutcome>;
  /** `memory`, or `redis` with its connection state (for /healthz). */
  describe(): { store: 'memory' | 'redis'; connection?: string; on_unavailable?: 'open' | 'closed' };
  close(): Promise<void>;
}

function outcomeOf(res: RateLimiterRes, allowed: boolean): CounterOutcome {
  return { allowed, remaining: Math.max(0, res.remainingPoints), msBeforeNext: Math.max(0, res.msBeforeNext) };
}

/** One limiter per rule (its points and window), made on first use; the rule is part of the key prefix. */
export class RuleLimiters {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  constructor(private readonly make: (rule: LimitRule, keyPrefix: string) => RateLimiterAbstract) {}

  for(rule: LimitRule): RateLimiterAbstract {
    const prefix = `${rule.points}/${rule.seconds}s`;
    let limiter = this.limiters.get(prefix);
    if (!limiter) this.limiters.set(prefix, (limiter = this.make(rule, prefix)));
    return limiter;
  }
}

/** The LimitCounters contract over rate-limiter-flexible limiters: a refusal is an outcome, a store failure an error. */
export class FlexibleLimitCounters implements LimitCounters {
  constructor(
    private readonly limiters: RuleLimiters,
    private readonly description: () => ReturnType<LimitCounters['describe']>,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async consume(key: string, rule: LimitRule, points: number): Promise<CounterOutcome> {
    try {
      return outcomeOf(await this.limiters.for(rule).consume(key, points), true);
    } catch (err) {
      if (err instanceof RateLimiterRes) return outcomeOf(err, false);
      throw new LimitStoreUnavailableError(err);
    }
  }

  async refund(key: string, rule: LimitRule, points: number): Promise<void> {
    try {
      await this.limiters.for(rule).reward(key, points);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw new LimitStoreUnavailableError(err);
    }
  }

  async peek(key: string, rule: LimitRule): Promise<CounterOutcome> {
    try {
      const res = await this.limiters.for(rule).get(key);
      return res ? outcomeOf(res, res.remainingPoints > 0) : { allowed: true, remaining: rule.points, msBeforeNext: 0 };
    } catch (err) {
      throw new LimitStoreUnavailableError(err);
    }
  }

  describe(): ReturnType<LimitCounters['describe']> {
    return this.description();
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

export function memoryLimiter(rule: LimitRule, keyPrefix: string): RateLimiterMemory {
  return new RateLimiterMemory({ points: rule.points, duration: rule.seconds, keyPrefix });
}

/** Counters of this authd alone (no Redis named in mcpgw.yaml). */
export function memoryLimitCounters(): LimitCounters {
  return new FlexibleLimitCounters(new RuleLimiters(memoryLimiter), () => ({ store: 'memory' }));
}
