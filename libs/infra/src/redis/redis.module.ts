import KeyvRedis, { Keyv } from '@keyv/redis';
import { Module } from '@nestjs/common';
import { LockService } from '../lock/lock.service';
import { SharedFlight } from '../lock/shared-flight';
import { RedisConnection } from './redis-connection';
import { REDIS_KEY_PREFIX } from './redis-keys';
import { WindowCounters } from './window-counters';

/** Injection token of the ready Keyv store the cache uses: Redis when configured, else a Map. */
export const KEYV_STORE = Symbol('KEYV_STORE');

/**
 * The Keyv store over the process's one Redis client, built after that client has connected (or
 * given up waiting: node-redis keeps reconnecting). Keys are `shipments:<key>`, the same rule as
 * every other key (redisKey).
 */
async function createKeyvStore(redis: RedisConnection): Promise<Keyv> {
  const client = await redis.connected();
  if (!client) return new Keyv();
  const store = new KeyvRedis(client, { keyPrefixSeparator: ':' });
  // Keyv hands its namespace to the store, which prefixes it; Keyv's own second prefix is off.
  return new Keyv({ store, namespace: REDIS_KEY_PREFIX.slice(0, -1), useKeyPrefix: false });
}

/** The process's single Redis connection, its Keyv store, and the locks and counters built on it. */
@Module({
  providers: [
    RedisConnection,
    LockService,
    SharedFlight,
    WindowCounters,
    { provide: KEYV_STORE, inject: [RedisConnection], useFactory: createKeyvStore },
  ],
  exports: [RedisConnection, LockService, SharedFlight, WindowCounters, KEYV_STORE],
})
export class RedisModule {}
