import { AppConfig } from '@app/config';
import { RedisModule, WindowCounters } from '@app/infra';
import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { RATE_LIMIT_WINDOW_MS, WindowCountersStorage } from './rate-limit.guard';

/** @nestjs/throttler with one throttler (RATE_LIMIT_PER_MINUTE a minute) on WindowCounters. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RedisModule],
      inject: [AppConfig, WindowCounters],
      useFactory: (config: AppConfig, counters: WindowCounters) => ({
        throttlers: [
          // 'default' keeps the header names unsuffixed. 0 means off: the guard skips then.
          {
            name: 'default',
            ttl: RATE_LIMIT_WINDOW_MS,
            limit: config.edge.rateLimitPerMinute || 1,
          },
        ],
        storage: new WindowCountersStorage(counters),
      }),
    }),
  ],
})
export class RateLimitModule {}
