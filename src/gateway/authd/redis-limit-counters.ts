// Limit counters shared by every authd node through Redis (ioredis + RateLimiterRedis). authd
// must answer at its normal latency while Redis is gone: no offline queue, a short command
// timeout, and `on_unavailable` decides — `open` counts on this node alone (an insurance
// RateLimiterMemory), `closed` raises LimitStoreUnavailableError (authd answers 503).
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimitsSettings } from '../../core/config/limits.js';
import { FlexibleLimitCounters, memoryLimiter, RuleLimiters, type LimitCounters } from './limit-counters.js';

export type RedisLimitSettings = NonNullable<LimitsSettings['redis']>;

/** `url` is the resolved URL (secrets already substituted); it is never logged (it may hold a password). */
export function redisLimitCounters(settings: RedisLimitSettings, url: string, log: (line: string) => void): LimitCounters {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: settings.command_timeout,
    connectTimeout: Math.max(500, settings.command_timeout * 5),
    maxRetriesPerRequest: 0,
    // Keep trying to come back, at most every 2 s; requests meanwhile fail fast (no queue).
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let lastState = '';
  const report = (state: string, detail = '') => {
    if (state === lastState) return;
    lastState = state;
    log(`limits: redis ${state}${detail} (on_unavailable: ${settings.on_unavailable})`);
  };
  client.on('ready', () => report('ready'));
  client.on('error', (err: Error) => report('unavailable', `: ${err.message}`));
  client.on('end', () => report('closed'));
  const limiters = new RuleLimiters(
    (rule, prefix) =>
      new RateLimiterRedis({
        storeClient: client,
        points: rule.points,
        duration: rule.seconds,
        keyPrefix: `${settings.key_prefix}:${prefix}`,
        rejectIfRedisNotReady: true,
        insuranceLimiter: settings.on_unavailable === 'open' ? memoryLimiter(rule, `insurance:${prefix}`) : undefined,
      }),
  );
  return new FlexibleLimitCounters(
    limiters,
    () => ({ store: 'redis', connection: client.status, on_unavailable: settings.on_unavailable }),
    async () => {
      client.disconnect();
    },
  );
}
