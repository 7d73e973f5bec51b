import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisConnection } from '../redis/redis-connection';
import { redisKey } from '../redis/redis-keys';

/** A held lock. `lost` aborts when it can no longer be known to be ours: stop the work then. */
export interface Lease {
  readonly name: string;
  readonly lost: AbortSignal;
  /** Stops renewing and deletes the lock if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/** A lock's value: unique, and names its holder for an operator (`GET shipments:lock:<name>`). */
export function holderToken(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

/** How long "this occasion's work is done" is remembered: far longer than instances' clocks drift. */
const DONE_TTL_MS = 3600_000;

/** The lock was lost while the work it guards was running (see Lease.lost). */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  constructor(readonly lock: string) {
    super(`The lock "${lock}" was lost, so the work it guarded was stopped`);
  }
}

// Renew or delete only our own lock: it may have expired and been taken by another instance.
export const IF_OURS = (command: string): string =>
  `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call(${command}) else return 0 end`;
export const RENEW_IF_OURS = IF_OURS(`'pexpire', KEYS[1], ARGV[2]`);
export const DELETE_IF_OURS = IF_OURS(`'del', KEYS[1]`);

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

  /**
   * Runs `work` under the lock `name` once per `occasion` (a schedule tick, say) across every
   * instance: the first to take the lock runs it and, unless the lock was lost, marks the
   * occasion done; the others wait while the lock is held and return null once it is done. If
   * the holder dies or loses the lock first, a waiting instance takes the lock when it expires
   * and runs the work itself. Null as well when the occasion was done already.
   * @throws RedisUnavailableError when Redis is configured but away.
   */
  async oncePer<T>(
    name: string,
    occasion: string,
    ttlMs: number,
    work: (lease: Lease) => Promise<T>,
  ): Promise<T | null> {
    const done = redisKey('done', name, occasion);
    const isDone = async () =>
      this.redis.enabled && (await this.redis.command((client) => client.exists(done))) === 1;
    for (;;) {
      if (await isDone()) return null;
      const lease = await this.tryAcquire(name, ttlMs);
      // In process there is no one else to wait for: held means this process is running it.
      if (!lease && !this.redis.enabled) return null;
      if (lease) {
        try {
          if (await isDone()) return null; // finished elsewhere between the two looks
          const result = await work(lease);
          if (!lease.lost.aborted && this.redis.enabled) {
            await this.redis.command((client) =>
              client.set(done, '1', { expiration: { type: 'PX', value: DONE_TTL_MS } }),
            );
          }
          return result;
        } finally {
          await lease.release();
        }
      }
      await sleep(Math.min(1000, ttlMs / 3));
    }
  }

  private async acquireShared(name: string, ttlMs: number): Promise<Lease | null> {
    const key = redisKey('lock', name);
    const token = holderToken();
    const acquired = await this.redis.command((client) =>
      client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
    );
    if (acquired !== 'OK') return null;
    const lost = new AbortController();
    const renewal = setInterval(() => {
      this.redis
        .command((client) =>
          client.eval(RENEW_IF_OURS, { keys: [key], arguments: [token, String(ttlMs)] }),
        )
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
          .command((client) => client.eval(DELETE_IF_OURS, { keys: [key], arguments: [token] }))
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
