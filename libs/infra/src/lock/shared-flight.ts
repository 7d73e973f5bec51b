import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisConnection, RedisUnavailableError } from '../redis/redis-connection';
import { redisKey } from '../redis/redis-keys';
import type { SharedFlightRole } from '../metrics/metrics';
import { DELETE_IF_OURS, holderToken, IF_OURS, RENEW_IF_OURS } from './lock.service';

/** How long a finished flight's result stays readable for the callers that waited on it. */
export const FLIGHT_RESULT_TTL_MS = 1000;
/** First and longest pause between two looks of a waiting caller. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 100;
/** The finished value: this prefix, then the result as JSON. A holder's value never starts so. */
const DONE = 'done:';

/** Replace our claim with the result, which expires by itself. */
const FINISH = IF_OURS(`'set', KEYS[1], ARGV[2], 'PX', ARGV[3]`);

/**
 * One run of some work per key across every instance sharing the Redis: the first caller claims
 * the key (SET NX PX, renewed while it works) and, when done, swaps its claim for the result,
 * readable for FLIGHT_RESULT_TTL_MS; the others look at the key until the result is there. If the
 * holder dies, its claim expires within `claimTtlMs` and a waiting caller claims it in turn. So
 * work that must not be repeated (an upstream call) runs once for concurrent callers however
 * many instances they arrive at. Without REDIS_URL, or while Redis is away, the work just runs
 * here (the caller's in-process single flight shares it, and the work meets Redis's absence in
 * its own way). Results must be JSON.
 */
@Injectable()
export class SharedFlight {
  private readonly logger = new Logger(SharedFlight.name);

  constructor(private readonly redis: RedisConnection) {}

  /** The result of the one run of `work` for `key`, with whether this caller ran it. */
  async run<T>(
    key: string,
    claimTtlMs: number,
    work: () => Promise<T>,
  ): Promise<{ result: T; role: SharedFlightRole }> {
    if (!this.redis.enabled) return { result: await work(), role: 'led' };
    const name = redisKey('flight', key);
    let turn: { token: string } | { result: T };
    try {
      turn = await this.claimOrWait<T>(name, claimTtlMs);
    } catch (error) {
      // Nobody to share with while Redis is away; never an error for the caller.
      if (!(error instanceof RedisUnavailableError)) throw error;
      return { result: await work(), role: 'led' };
    }
    if ('result' in turn) return { result: turn.result, role: 'joined' };
    return { result: await this.lead(name, turn.token, claimTtlMs, work), role: 'led' };
  }

  /**
   * Our claim on `name`, or the result of the holder's run. A holder's key is looked at until its
   * result is there; gone without one (the holder died, its claim expired), it is claimed anew.
   */
  private async claimOrWait<T>(
    name: string,
    claimTtlMs: number,
  ): Promise<{ token: string } | { result: T }> {
    let pause = FIRST_POLL_MS;
    for (;;) {
      const token = holderToken();
      const claimed = await this.redis.command((client) =>
        client.set(name, token, {
          condition: 'NX',
          expiration: { type: 'PX', value: claimTtlMs },
        }),
      );
      if (claimed === 'OK') return { token };
      let value = await this.redis.command((client) => client.get(name));
      while (value !== null && !value.startsWith(DONE)) {
        await sleep(pause);
        pause = Math.min(MAX_POLL_MS, pause * 1.5);
        value = await this.redis.command((client) => client.get(name));
      }
      if (value !== null) return { result: JSON.parse(value.slice(DONE.length)) as T };
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
          client.eval(RENEW_IF_OURS, { keys: [name], arguments: [token, String(claimTtlMs)] }),
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
