import { Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection';

/** The process's single Redis connection, for the cache, the call budget, locks and health. */
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
