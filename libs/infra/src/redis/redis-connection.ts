import { AppConfig } from '@app/config';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createClient } from '@keyv/redis';
import { withTimeout } from '../with-timeout';

export type RedisClient = ReturnType<typeof createClient>;

/** How long the first use waits for Redis to connect before it counts as unreachable. */
const CONNECT_WAIT_MS = 1000;
/** Bound of every command: past it Redis counts as not answering (a frozen or overloaded server). */
export const REDIS_COMMAND_TIMEOUT_MS = 250;
/** While Redis is not answering, how often a PING checks whether it is back. */
const PROBE_INTERVAL_MS = 500;

/**
 * Redis can't be used right now (unreachable, or not answering in time). The message is safe to
 * show to clients: it names no host, port or credential.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  constructor(readonly reason: 'unreachable' | 'not answering') {
    super(`Redis is ${reason === 'unreachable' ? 'not reachable' : 'not answering'}`);
  }
}

/**
 * The one Redis connection of a process (cache, call budget, locks, health). It starts connecting
 * when the module starts and waits at most CONNECT_WAIT_MS for it: a Redis that is away never
 * stops the process from starting (node-redis keeps reconnecting in the background). Without
 * REDIS_URL there is no client and every user takes its in-process path.
 *
 * Every command is bounded by REDIS_COMMAND_TIMEOUT_MS. Once one times out, Redis is marked
 * unresponsive: later commands fail at once (nobody waits on a frozen server) while a PING probes
 * it in the background. Each change of state is logged once, never per request.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnection.name);
  /** Created at once, connected at module start; null without REDIS_URL. */
  private readonly unconnectedClient: RedisClient | null;
  private connecting?: Promise<RedisClient>;
  /** Set once a wait for the connection timed out; cleared when the client is ready again. */
  private unreachable = false;
  /** Set once a command timed out; cleared when a probe PING answers. */
  private probe?: NodeJS.Timeout;
  private lastError?: string;

  constructor(private readonly config: AppConfig) {
    this.unconnectedClient = config.redisUrl ? this.create(config.redisUrl) : null;
  }

  /** Connects (bounded), so the first lookup finds a ready client. */
  async onModuleInit(): Promise<void> {
    await this.connected();
  }

  /**
   * The client once it has connected, or after waiting CONNECT_WAIT_MS for it (it goes on
   * reconnecting in the background); null without REDIS_URL. For stores that take a client.
   */
  async connected(): Promise<RedisClient | null> {
    await this.client().catch(() => undefined);
    return this.unconnectedClient;
  }

  get enabled(): boolean {
    return this.unconnectedClient !== null;
  }

  /** False while Redis is known to be unreachable or not answering. */
  get available(): boolean {
    return this.enabled && !this.unreachable && this.probe === undefined;
  }

  /**
   * Runs one command on the connected client, bounded by REDIS_COMMAND_TIMEOUT_MS. Returns null
   * without REDIS_URL (callers use their in-process fallback).
   * @throws RedisUnavailableError at once while Redis is unreachable or not answering.
   */
  async command<T>(run: (client: RedisClient) => Promise<T>): Promise<T | null> {
    const client = await this.client();
    if (!client) return null;
    if (this.probe) throw new RedisUnavailableError('not answering');
    const running = run(client).catch((error: unknown) => {
      // Lost the connection under the command (disableOfflineQueue fails it at once).
      throw client.isReady ? error : new RedisUnavailableError('unreachable');
    });
    return withTimeout(running, REDIS_COMMAND_TIMEOUT_MS, () => {
      this.markUnresponsive(client);
      throw new RedisUnavailableError('not answering');
    });
  }

  /**
   * The connected client, or null without REDIS_URL. While Redis is unreachable this fails at
   * once (after a first wait of CONNECT_WAIT_MS), so nothing waits on it; node-redis keeps
   * reconnecting in the background and the next call after that succeeds.
   */
  private async client(): Promise<RedisClient | null> {
    const client = this.unconnectedClient;
    if (!client) return null;
    if (client.isReady) return client;
    if (!this.connecting) {
      this.connecting = client.connect().then(() => client);
      // Rejected only if the client is closed while connecting; a later call starts over.
      this.connecting.catch(() => (this.connecting = undefined));
    }
    if (this.unreachable) throw new RedisUnavailableError('unreachable');
    return withTimeout(this.connecting, CONNECT_WAIT_MS, () => {
      this.setUnreachable(true);
      throw new RedisUnavailableError('unreachable');
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

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.probe);
    const client = this.unconnectedClient;
    if (!client?.isOpen) return;
    // Graceful when connected and answering; at once when absent or frozen.
    if (client.isReady && !this.probe) {
      await withTimeout(client.close(), 1000, () => client.destroy()).catch(() => undefined);
    } else {
      client.destroy();
    }
    this.probe = undefined;
  }

  private markUnresponsive(client: RedisClient): void {
    if (this.probe) return;
    this.logger.warn(
      `Redis at ${this.target()} did not answer within ${REDIS_COMMAND_TIMEOUT_MS} ms: weather cache, ` +
        'call budget and locks are unavailable until it does (lookups go on without weather)',
    );
    const since = Date.now();
    let probing = false;
    this.probe = setInterval(() => {
      if (probing) return;
      probing = true;
      withTimeout(client.ping(), REDIS_COMMAND_TIMEOUT_MS, () => {
        throw new RedisUnavailableError('not answering');
      })
        .then(() => {
          clearInterval(this.probe);
          this.probe = undefined;
          this.logger.log(
            `Redis answers again, after ${Math.round((Date.now() - since) / 1000)} s`,
          );
        })
        .catch(() => undefined)
        .finally(() => (probing = false));
    }, PROBE_INTERVAL_MS);
    this.probe.unref();
  }

  private setUnreachable(unreachable: boolean): void {
    if (this.unreachable === unreachable) return;
    this.unreachable = unreachable;
    if (unreachable) {
      this.logger.warn(
        `Redis at ${this.target()} is not reachable: weather cache, call budget and locks are ` +
          'unavailable until it is (lookups go on without weather)',
      );
    } else {
      this.logger.log(`Redis at ${this.target()} is reachable again`);
    }
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
      // Reconnection repeats the same error; say it once per change, at debug level: the
      // state change itself is what the log says (setUnreachable).
      if (error.message === this.lastError) return;
      this.lastError = error.message;
      this.logger.debug(`Redis: ${error.message || 'connection error'}`);
    });
    client.on('ready', () => {
      this.lastError = undefined;
      this.setUnreachable(false);
    });
    // Every retry of a lost or refused connection: unreachable from now on, said once.
    client.on('reconnecting', () => this.setUnreachable(true));
    return client as RedisClient;
  }

  /** host:port of the Redis, for operators' logs only (never in a response). */
  private target(): string {
    const target = new URL(this.config.redisUrl ?? 'redis://unknown');
    return `${target.hostname}:${target.port || 6379}`;
  }
}
