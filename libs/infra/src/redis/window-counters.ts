import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { DECREMENT_SCRIPT, INCREMENT_SCRIPT } from './counter-scripts';
import { RedisConnection } from './redis-connection';
import { redisKey } from './redis-keys';

/** A fixed-window count: how many so far, and how long until the window (and count) resets. */
export interface WindowCount {
  count: number;
  resetMs: number;
}

export interface WindowSpec {
  name: string;
  windowMs: number;
}

/** Keys per script call, so one call never holds Redis for long. */
const KEYS_PER_CALL = 256;

interface Waiting {
  windowMs: number;
  resolvers: ((count: WindowCount | null) => void)[];
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
  /** Counts asked for and not yet sent to Redis, by key. */
  private queued = new Map<string, Waiting>();
  private sending = false;
  private scheduled = false;
  private readonly sweep = setInterval(() => this.dropExpired(), SWEEP_MS).unref();

  constructor(private readonly redis: RedisConnection) {}

  /** Adds one to `name`'s window (started by its first count, `windowMs` long). */
  async increment(name: string, windowMs: number): Promise<WindowCount> {
    const [count] = await this.incrementAll([{ name, windowMs }]);
    return count;
  }

  /**
   * Adds one to each window; the counts in the same order. With Redis, every count asked for
   * while a round trip is under way goes in the next one, all keys in one script call and each
   * key's requests as one INCRBY: a client's burst costs Redis one command per round trip instead
   * of one per request, and every request still gets its own exact count, shared by all instances.
   */
  async incrementAll(windows: readonly WindowSpec[]): Promise<WindowCount[]> {
    if (!this.redis.available)
      return windows.map((window) => this.incrementLocal(window.name, window.windowMs));
    const counts = await Promise.all(windows.map((window) => this.enqueue(window)));
    return counts.map(
      (count, index) => count ?? this.incrementLocal(windows[index].name, windows[index].windowMs),
    );
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

  /** Resolves with the count from Redis, or null when Redis did not answer (count locally). */
  private enqueue(window: WindowSpec): Promise<WindowCount | null> {
    return new Promise((resolve) => {
      let waiting = this.queued.get(window.name);
      if (!waiting) {
        waiting = { windowMs: window.windowMs, resolvers: [] };
        this.queued.set(window.name, waiting);
      }
      waiting.resolvers.push(resolve);
      this.schedule();
    });
  }

  /** After this turn of the event loop (gathering what it parsed), unless a round trip is under way. */
  private schedule(): void {
    if (this.sending || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.send();
    });
  }

  private async send(): Promise<void> {
    const batch = [...this.queued];
    this.queued = new Map();
    if (batch.length === 0) return;
    this.sending = true;
    try {
      const calls: Promise<void>[] = [];
      for (let start = 0; start < batch.length; start += KEYS_PER_CALL)
        calls.push(this.sendKeys(batch.slice(start, start + KEYS_PER_CALL)));
      await Promise.all(calls);
    } finally {
      this.sending = false;
      if (this.queued.size > 0) this.schedule();
    }
  }

  private async sendKeys(keys: [string, Waiting][]): Promise<void> {
    const reply = await this.redis
      .command((client) =>
        INCREMENT_SCRIPT.run(client, {
          keys: keys.map(([name]) => redisKey(name)),
          arguments: keys.flatMap(([, waiting]) => [
            String(waiting.windowMs),
            String(waiting.resolvers.length),
          ]),
        }),
      )
      .catch(() => null);
    keys.forEach(([, { resolvers }], index) => {
      if (!Array.isArray(reply)) return resolvers.forEach((resolve) => resolve(null));
      // The key's new total: its requests had the counts just below it, in the order they came.
      const total = Number(reply[index * 2]);
      const resetMs = Number(reply[index * 2 + 1]);
      resolvers.forEach((resolve, order) =>
        resolve({ count: total - resolvers.length + 1 + order, resetMs }),
      );
    });
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
