import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RedisClient, RedisConnection } from './redis-connection';
import { redisKey } from './redis-keys';

/** A fixed-window count: how many so far, and how long until the window (and count) resets. */
export interface WindowCount {
  count: number;
  resetMs: number;
}

/**
 * Count one more in each key (ARGV[i] is KEYS[i]'s window); a window's first count starts its
 * expiry. One round trip, atomic.
 */
const INCREMENT = `
local out = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[i])
    ttl = tonumber(ARGV[i])
  end
  out[#out + 1] = n
  out[#out + 1] = ttl
end
return out`;

/** Take one count back from each key, never below 0 and never creating a key (no expiry). */
const DECREMENT = `
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', key) or '0')
  if n > 0 then redis.call('DECR', key) end
end
return 0`;

/** A Lua script sent by its SHA1 (EVALSHA): 40 bytes a request instead of the whole text. */
class Script {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** EVALSHA, or EVAL once when this Redis does not have the script yet (NOSCRIPT: restarted, flushed). */
  async run(
    client: RedisClient,
    options: { keys: string[]; arguments?: string[] },
  ): Promise<unknown> {
    try {
      return await client.evalSha(this.sha, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, options);
    }
  }
}
const INCREMENT_SCRIPT = new Script(INCREMENT);
const DECREMENT_SCRIPT = new Script(DECREMENT);

export interface WindowSpec {
  name: string;
  windowMs: number;
}

/** How often expired in-process windows are dropped, so a flood of clients can't pile them up. */
const SWEEP_MS = 60_000;

/**
 * Fixed-window counters (the rate limit, the zip gate's wrong attempts): in Redis when REDIS_URL
 * is set, so every instance counts the same window; in process otherwise. While Redis is away the
 * process counts on its own (limits then hold per instance: weaker, never off), and RedisConnection
 * has said so once in the log.
 */
@Injectable()
export class WindowCounters implements OnModuleDestroy {
  private readonly local = new Map<string, { count: number; expiresAt: number }>();
  private readonly sweep = setInterval(() => this.dropExpired(), SWEEP_MS).unref();

  constructor(private readonly redis: RedisConnection) {}

  /** Adds one to `name`'s window (started by its first count, `windowMs` long). */
  async increment(name: string, windowMs: number): Promise<WindowCount> {
    const [count] = await this.incrementAll([{ name, windowMs }]);
    return count;
  }

  /** Adds one to each window, in one round trip; the counts in the same order. */
  async incrementAll(windows: readonly WindowSpec[]): Promise<WindowCount[]> {
    if (this.redis.available) {
      const reply = await this.redis
        .command((client) =>
          INCREMENT_SCRIPT.run(client, {
            keys: windows.map((window) => redisKey(window.name)),
            arguments: windows.map((window) => String(window.windowMs)),
          }),
        )
        .catch(() => null);
      if (Array.isArray(reply)) {
        return windows.map((_, index) => ({
          count: Number(reply[index * 2]),
          resetMs: Number(reply[index * 2 + 1]),
        }));
      }
    }
    return windows.map((window) => this.incrementLocal(window.name, window.windowMs));
  }

  /** Takes back one count from each window that has one (an attempt that turned out fine). */
  async decrementAll(names: readonly string[]): Promise<void> {
    if (this.redis.available) {
      const reply = await this.redis
        .command((client) =>
          DECREMENT_SCRIPT.run(client, { keys: names.map((name) => redisKey(name)) }),
        )
        .catch(() => null);
      if (reply !== null) return;
    }
    const now = Date.now();
    for (const name of names) {
      const entry = this.local.get(name);
      if (entry && entry.expiresAt > now && entry.count > 0) entry.count--;
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  private incrementLocal(name: string, windowMs: number): WindowCount {
    const now = Date.now();
    let entry = this.local.get(name);
    if (!entry || entry.expiresAt <= now) {
      entry = { count: 0, expiresAt: now + windowMs };
      this.local.set(name, entry);
    }
    entry.count++;
    return { count: entry.count, resetMs: entry.expiresAt - now };
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [name, entry] of this.local) if (entry.expiresAt <= now) this.local.delete(name);
  }
}
