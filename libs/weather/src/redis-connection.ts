import { AppConfig } from '@app/config';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createClient } from '@keyv/redis';
import { randomUUID } from 'node:crypto';
import { withTimeout } from './with-timeout';

export type RedisClient = ReturnType<typeof createClient>;

/** How long the first use waits for Redis to connect before it counts as unreachable. */
const CONNECT_WAIT_MS = 1000;

/**
 * The one Redis connection of a process (cache, call budget, refresh lock), opened on first use so
 * commands that never need Redis never connect. Null everywhere when REDIS_URL is unset.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  /** Created at once, connected on first use; null without REDIS_URL. */
  readonly unconnectedClient: RedisClient | null;
  private connecting?: Promise<RedisClient>;
  /** Set once a wait for the connection timed out; cleared when the client is ready again. */
  private unreachable = false;
  private readonly localLocks = new Set<string>();
  private lastError?: string;

  constructor(private readonly config: AppConfig) {
    this.unconnectedClient = config.redisUrl ? this.create(config.redisUrl) : null;
  }

  get enabled(): boolean {
    return this.unconnectedClient !== null;
  }

  /**
   * The connected client, or null without REDIS_URL. While Redis is unreachable this fails at
   * once (after a first wait of CONNECT_WAIT_MS), so nothing waits on it; node-redis keeps
   * reconnecting in the background and the next call after that succeeds.
   */
  async client(): Promise<RedisClient | null> {
    const client = this.unconnectedClient;
    if (!client) return null;
    if (client.isReady) return client;
    if (!this.connecting) {
      this.connecting = client.connect().then(() => client);
      // Rejected only if the client is closed while connecting; a later call starts over.
      this.connecting.catch(() => (this.connecting = undefined));
    }
    if (this.unreachable) throw this.unreachableError();
    return withTimeout(this.connecting, CONNECT_WAIT_MS, () => {
      this.unreachable = true;
      throw this.unreachableError();
    });
  }

  /** PING, bounded: a Redis that accepts connections but doesn't answer counts as down. */
  async ping(timeoutMs = 2000): Promise<void> {
    const client = await this.client();
    if (!client) return;
    await withTimeout(client.ping(), timeoutMs, () => {
      throw new Error(`no answer within ${timeoutMs} ms`);
    });
  }

  /**
   * A lock with an expiry, so a crashed holder can't block others forever: SET NX PX in Redis, a
   * map in process without it. While held it is renewed, so a long run keeps it. Returns a
   * release function, or null when someone else holds the lock.
   */
  async tryLock(name: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const client = await this.client();
    if (!client) return this.tryLocalLock(name);
    const key = `lock:${name}`;
    const token = randomUUID();
    const acquired = await client.set(key, token, {
      condition: 'NX',
      expiration: { type: 'PX', value: ttlMs },
    });
    if (acquired !== 'OK') return null;
    // Renew or delete only our own lock: it may have expired and been taken by another instance.
    const ifOurs = (command: string): string =>
      `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call(${command}) else return 0 end`;
    const renewal = setInterval(() => {
      client
        .eval(ifOurs(`'pexpire', KEYS[1], ARGV[2]`), {
          keys: [key],
          arguments: [token, String(ttlMs)],
        })
        .catch(() => undefined);
    }, ttlMs / 3);
    renewal.unref();
    return async () => {
      clearInterval(renewal);
      await client
        .eval(ifOurs(`'del', KEYS[1]`), { keys: [key], arguments: [token] })
        .catch(() => undefined);
    };
  }

  /** In process a holder can't crash without taking the lock with it, so no expiry is needed. */
  private tryLocalLock(name: string): (() => Promise<void>) | null {
    if (this.localLocks.has(name)) return null;
    this.localLocks.add(name);
    return () => {
      this.localLocks.delete(name);
      return Promise.resolve();
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const client = this.unconnectedClient;
    if (!client?.isOpen) return;
    // Graceful when connected; at once when still trying to reach an absent Redis.
    if (client.isReady) await client.close().catch(() => undefined);
    else client.destroy();
  }

  private create(url: string): RedisClient {
    const client = createClient({
      url,
      // Fail commands at once while disconnected: a lookup must not wait for Redis to come back.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (retries) => Math.min(retries * 200, 2000),
      },
    });
    client.on('error', (error: Error) => {
      // Reconnection repeats the same error; say it once per change.
      if (error.message === this.lastError) return;
      this.lastError = error.message;
      this.logger.warn(`Redis: ${error.message || 'connection error'}`);
    });
    client.on('ready', () => {
      this.lastError = undefined;
      this.unreachable = false;
    });
    return client as RedisClient;
  }

  private unreachableError(): Error {
    const target = new URL(this.config.redisUrl ?? 'redis://unknown');
    return new Error(`Redis at ${target.hostname}:${target.port || 6379} is not reachable`);
  }
}
