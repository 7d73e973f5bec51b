import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RedisConnection } from '../redis/redis-connection';
import { redisKey } from '../redis/redis-keys';

/** A held lock. `lost` aborts when it can no longer be known to be ours: stop the work then. */
export interface Lease {
  readonly name: string;
  readonly lost: AbortSignal;
  /** Stops renewing and deletes the lock if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/** The lock was lost while the work it guards was running (see Lease.lost). */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  constructor(readonly lock: string) {
    super(`The lock "${lock}" was lost, so the work it guarded was stopped`);
  }
}

// Renew or delete only our own lock: it may have expired and been taken by another instance.
const IF_OURS = (command: string): string =>
  `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call(${command}) else return 0 end`;
const RENEW = IF_OURS(`'pexpire', KEYS[1], ARGV[2]`);
const DELETE = IF_OURS(`'del', KEYS[1]`);

/**
 * Locks with an expiry, so a crashed holder can't block others forever: SET NX PX in Redis
 * (shared by every instance), a set in process without REDIS_URL. A held lock is renewed every
 * third of its expiry. A renewal that fails (the key is someone else's, or Redis did not confirm
 * it) is never ignored: the lease's `lost` signal aborts, one line is logged, and the holder
 * stops, since another instance may already be doing the same work.
 */
@Injectable()
export class LockService {
  private readonly logger = new Logger(LockService.name);
  private readonly local = new Set<string>();

  constructor(private readonly redis: RedisConnection) {}

  /**
   * The lock, or null when someone else holds it.
   * @throws RedisUnavailableError when Redis is configured but away (nobody can know who holds it).
   */
  async tryAcquire(name: string, ttlMs: number): Promise<Lease | null> {
    return this.redis.enabled ? this.acquireShared(name, ttlMs) : this.acquireLocal(name);
  }

  private async acquireShared(name: string, ttlMs: number): Promise<Lease | null> {
    const key = redisKey('lock', name);
    const token = randomUUID();
    const acquired = await this.redis.command((client) =>
      client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
    );
    if (acquired !== 'OK') return null;
    const lost = new AbortController();
    const renewal = setInterval(() => {
      this.redis
        .command((client) => client.eval(RENEW, { keys: [key], arguments: [token, String(ttlMs)] }))
        .then(
          (renewed) => {
            if (Number(renewed) !== 1) lose('it is no longer ours (it expired and was taken)');
          },
          (error: Error) => lose(`renewal failed: ${error.message}`),
        );
    }, ttlMs / 3);
    renewal.unref();
    const lose = (why: string): void => {
      if (lost.signal.aborted) return;
      clearInterval(renewal);
      this.logger.warn(`Lost the lock "${name}" (${why}): stopping the work it guarded`);
      lost.abort(new LockLostError(name));
    };
    let released = false;
    return {
      name,
      lost: lost.signal,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        if (lost.signal.aborted) return;
        await this.redis
          .command((client) => client.eval(DELETE, { keys: [key], arguments: [token] }))
          // Not deleted (Redis away): it expires by itself within ttlMs.
          .catch(() => undefined);
      },
    };
  }

  /** In process a holder can't crash without taking the lock with it: no expiry, never lost. */
  private acquireLocal(name: string): Lease | null {
    if (this.local.has(name)) return null;
    this.local.add(name);
    let released = false;
    return {
      name,
      lost: new AbortController().signal,
      release: () => {
        if (!released) this.local.delete(name);
        released = true;
        return Promise.resolve();
      },
    };
  }
}
