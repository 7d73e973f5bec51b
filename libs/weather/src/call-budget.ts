import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Metrics, RedisConnection, redisKey } from '@app/infra';

const KEY = redisKey('budget', 'weather-upstream');
/** A minute plus a second of margin for the time between taking a call and the provider seeing it. */
const WINDOW_MS = 61_000;

/**
 * Atomically: forget calls older than the window, then take a slot if one is free. Returns 0 when
 * taken, else the milliseconds until the oldest call leaves the window. Redis's own clock, so
 * every instance counts the same minute.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)`;

/** Calls taken in the window that ends now (for the metrics). */
const TAKEN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], now - tonumber(ARGV[1]), '+inf')`;

/**
 * The upstream call budget: at most WEATHER_MAX_CALLS_PER_MINUTE calls in any 60 s (a sliding
 * window, so two clock minutes back to back can't add up to twice the rate), shared by lookups
 * and the refresh and, through Redis, by every instance; in-process without Redis.
 */
@Injectable()
export class CallBudget {
  /** Call times of this process, when there is no Redis. */
  private readonly local: number[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnection,
    metrics: Metrics,
  ) {
    metrics.readOnScrape('weather_call_budget_remaining', () => this.remaining());
  }

  /** Calls still free in the current window. */
  async remaining(): Promise<number> {
    const taken = this.redis.enabled
      ? Number(
          await this.redis.command((client) =>
            client.eval(TAKEN, { keys: [KEY], arguments: [String(WINDOW_MS)] }),
          ),
        )
      : this.local.filter((at) => at > Date.now() - WINDOW_MS).length;
    return Math.max(0, this.perMinute - taken);
  }

  get perMinute(): number {
    return this.config.weather.maxCallsPerMinute;
  }

  /** Takes one call now, or returns false when the budget is spent (lookups don't wait). */
  async tryTake(): Promise<boolean> {
    return (await this.attempt()) === 0;
  }

  /** Waits until a call is allowed (the refresh, which may spread over several minutes). */
  async take(): Promise<void> {
    for (let wait = await this.attempt(); wait > 0; wait = await this.attempt()) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** 0 when a call was taken, else how long until one may be. */
  private async attempt(): Promise<number> {
    if (this.redis.enabled) {
      // Bounded like every Redis command: a frozen Redis fails the call at once, never stalls it.
      const wait = await this.redis.command((client) =>
        client.eval(TAKE, {
          keys: [KEY],
          arguments: [String(WINDOW_MS), String(this.perMinute), randomUUID()],
        }),
      );
      return Number(wait);
    }
    const now = Date.now();
    while (this.local.length > 0 && this.local[0] <= now - WINDOW_MS) this.local.shift();
    if (this.local.length < this.perMinute) {
      this.local.push(now);
      return 0;
    }
    return Math.max(1, this.local[0] + WINDOW_MS - now);
  }
}
