import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisConnection } from '../redis/redis-connection';
import { redisKey } from '../redis/redis-keys';
import type { SharedFlightRole } from '../metrics/metrics';
import { DELETE_IF_OURS, holderToken, IF_OURS } from './lock.service';

/** How long a finished flight's result stays readable for the callers that waited on it. */
export const FLIGHT_RESULT_TTL_MS = 1000;
/** First and longest pause between two looks of a waiting caller. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 100;
/** The finished value: this prefix, then the result as JSON. A holder's value never starts so. */
const DONE = 'done:';

const RENEW = IF_OURS(`'pexpire', KEYS[1], ARGV[2]`);
/** Replace our claim with the result, which expires by itself. */
const FINISH = IF_OURS(`'set', KEYS[1], ARGV[2], 'PX', ARGV[3]`);

/**
 * One run of some work per key across every instance sharing the Redis: the first caller claims
 * the key (SET NX PX, renewed while it works) and, when done, swaps its claim for the result,
 * readable for FLIGHT_RESULT_TTL_MS; the others look at the key until the result is there. If the
 * holder dies, its claim expires within `claimTtlMs` and a waiting caller claims it in turn. So
 * work that must not be repeated (an upstream call) runs once for concurrent callers however
 * many instances they arrive at. Without REDIS_URL the work just runs (the caller's in-process
 * single flight shares it). Results must be JSON.
 */
@Injectable()
export class SharedFlight {
  private readonly logger = new Logger(SharedFlight.name);

  constructor(private readonly redis: RedisConnection) {}

  /**
   * The result of the one run of `work` for `key`, with whether this caller ran it.
   * @throws RedisUnavailableError when Redis is configured but away.
   */
  async run<T>(
    key: string,
    claimTtlMs: number,
    work: () => Promise<T>,
  ): Promise<{ result: T; role: SharedFlightRole }> {
    if (!this.redis.enabled) return { result: await work(), role: 'led' };
    const name = redisKey('flight', key);
    let pause = FIRST_POLL_MS;
    for (;;) {
      const token = holderToken();
      const claimed = await this.redis.command((client) =>
        client.set(name, token, {
          condition: 'NX',
          expiration: { type: 'PX', value: claimTtlMs },
        }),
      );
      if (claimed === 'OK')
        return { result: await this.lead(name, token, claimTtlMs, work), role: 'led' };
      // Someone holds it, or has just finished: look until its result is there or it is gone.
      for (;;) {
        const value = await this.redis.command((client) => client.get(name));
        if (value === null) break; // the holder died (its claim expired): claim it ourselves
        if (value.startsWith(DONE)) {
          return { result: JSON.parse(value.slice(DONE.length)) as T, role: 'joined' };
        }
        await sleep(pause);
        pause = Math.min(MAX_POLL_MS, pause * 1.5);
      }
    }
  }

  private async lead<T>(
    name: string,
    token: string,
    claimTtlMs: number,
    work: () => Promise<T>,
  ): Promise<T> {
    const renewal = setInterval(() => {
      this.redis
        .command((client) =>
          client.eval(RENEW, { keys: [name], arguments: [token, String(claimTtlMs)] }),
        )
        // A missed renewal costs at worst a second run elsewhere, never a wrong result.
        .catch(() => undefined);
    }, claimTtlMs / 3);
    renewal.unref();
    let result: T;
    try {
      result = await work();
    } catch (error) {
      clearInterval(renewal);
      // Nothing to hand on: let the next caller claim it at once instead of at expiry.
      await this.redis
        .command((client) => client.eval(DELETE_IF_OURS, { keys: [name], arguments: [token] }))
        .catch(() => undefined);
      throw error;
    }
    clearInterval(renewal);
    await this.redis
      .command((client) =>
        client.eval(FINISH, {
          keys: [name],
          arguments: [token, DONE + JSON.stringify(result), String(FLIGHT_RESULT_TTL_MS)],
        }),
      )
      .catch((error: Error) => {
        // The waiters see the claim expire and run it themselves: more calls, never a hang.
        this.logger.debug(`Could not hand a result on: ${error.message}`);
      });
    return result;
  }
}
