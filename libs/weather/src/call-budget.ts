import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterQueue,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { RedisConnection } from './redis-connection';

const KEY = 'weather-upstream';

/**
 * The upstream call budget: WEATHER_MAX_CALLS_PER_MINUTE per clock minute, shared by lookups and
 * the refresh and, through Redis, by every instance (in-process without Redis).
 */
@Injectable()
export class CallBudget {
  private limiter?: Promise<RateLimiterAbstract>;
  private queue?: Promise<RateLimiterQueue>;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnection,
  ) {}

  get perMinute(): number {
    return this.config.weather.maxCallsPerMinute;
  }

  /** Takes one call now, or returns false when the minute's budget is spent (lookups). */
  async tryTake(): Promise<boolean> {
    try {
      await (await this.getLimiter()).consume(KEY, 1);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }

  /** Waits until a call is allowed (the refresh: it may spread over several minutes). */
  async take(): Promise<void> {
    await (await this.getQueue()).removeTokens(1, KEY);
  }

  private getLimiter(): Promise<RateLimiterAbstract> {
    this.limiter ??= this.createLimiter();
    return this.limiter;
  }

  private getQueue(): Promise<RateLimiterQueue> {
    this.queue ??= this.getLimiter().then(
      (limiter) => new RateLimiterQueue(limiter as RateLimiterRedis, { maxQueueSize: 1_000_000 }),
    );
    return this.queue;
  }

  private async createLimiter(): Promise<RateLimiterAbstract> {
    const options = { keyPrefix: 'budget', points: this.perMinute, duration: 60 };
    const client = await this.redis.client();
    return client
      ? new RateLimiterRedis({ ...options, storeClient: client, useRedisPackage: true })
      : new RateLimiterMemory(options);
  }
}
