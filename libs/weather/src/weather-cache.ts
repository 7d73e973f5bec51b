import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  RedisClient,
  RedisConnection,
  redisKey,
  RedisUnavailableError,
  withTimeout,
} from '@app/infra';
import { defaultDeserialize } from '@keyv/serialize';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { Coordinates, WeatherFailure, WeatherReport } from './weather-report';

/** A stored reading; freshness is judged from `report.fetchedAt` by the service. */
export interface CachedReading {
  report: WeatherReport;
}

/** A remembered failure, so a failing location isn't asked again until it expires. */
export interface CachedFailure {
  error: string;
  failure: WeatherFailure;
}

/** Longest wait for the cache: past it, a lookup goes on as if it missed. */
const CACHE_TIMEOUT_MS = 250;
const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Owns the weather keys in the shared cache (Redis through Keyv, or in-process), keyed by
 * location (country code + postcode). A broken cache never breaks a lookup: errors read as misses.
 */
@Injectable()
export class WeatherCache {
  private readonly logger = new Logger(WeatherCache.name);

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly redis: RedisConnection,
  ) {}

  getReading(location: string): Promise<CachedReading | null> {
    return this.get<CachedReading>('reading', location);
  }

  setReading(location: string, reading: CachedReading, ttlMs: number): Promise<void> {
    return this.set('reading', location, reading, ttlMs);
  }

  getFailure(location: string): Promise<CachedFailure | null> {
    return this.get<CachedFailure>('failure', location);
  }

  setFailure(location: string, failure: CachedFailure, ttlMs: number): Promise<void> {
    return this.set('failure', location, failure, ttlMs);
  }

  /**
   * Keyed by what the geocoder is asked (geocodeKey). A postcode never moves: coordinates are
   * kept for a year (and for good in the database).
   */
  getCoordinates(location: string): Promise<Coordinates | null> {
    return this.get<Coordinates>('coordinates', location);
  }

  setCoordinates(location: string, coordinates: Coordinates): Promise<void> {
    return this.set('coordinates', location, coordinates, YEAR_MS);
  }

  // The log names the kind of entry, never the location: its key holds a receiver's postcode.
  private async get<T>(kind: EntryKind, location: string): Promise<T | null> {
    const name = weatherCacheKey(kind, location);
    // Every lookup reads here: with Redis, one GET straight on the client and a plain JSON.parse
    // of what Keyv wrote, instead of cache-manager's and Keyv's layers (and Keyv's reviver).
    const read = (client?: RedisClient) =>
      client
        ? client.get(redisKey(name)).then((raw) => readKeyvEntry<T>(raw))
        : this.cache.get<T>(name);
    return (await this.bounded(`read of a ${kind}`, read)) ?? null;
  }

  private async set(
    kind: EntryKind,
    location: string,
    value: unknown,
    ttlMs: number,
  ): Promise<void> {
    const name = weatherCacheKey(kind, location);
    await this.bounded(`write of a ${kind}`, () => this.cache.set(name, value, ttlMs));
  }

  /**
   * One cache operation, bounded: through RedisConnection when Redis is configured (so a frozen
   * or absent Redis is noticed once, logged once and skipped at once), else in process. A
   * failure reads as a miss; Redis being away is RedisConnection's to log, not each caller's.
   */
  private async bounded<T>(
    what: string,
    /** Given the client with Redis (for a command of its own), nothing in process. */
    operation: (client?: RedisClient) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      if (!this.redis.enabled) return await withTimeout(operation(), CACHE_TIMEOUT_MS, timedOut);
      return (await this.redis.command(operation)) ?? undefined;
    } catch (error) {
      if (!(error instanceof RedisUnavailableError)) {
        this.logger.warn(`Cache ${what} failed: ${(error as Error).message}`);
      }
      return undefined;
    }
  }
}

type EntryKind = 'reading' | 'failure' | 'coordinates';

/**
 * The value of an entry as Keyv stored it (`{"value":...,"expires":...}`, by @keyv/serialize), or
 * null when there is none or it has expired. Keyv escapes a string value that starts with `:`
 * (and writes buffers as `:base64:`); only then, which the serialized text shows as `":` after
 * a `:`, `[` or `,`, is its reviver needed to undo that.
 */
export function readKeyvEntry<T>(raw: string | null): T | null {
  if (raw === null) return null;
  const entry = (ESCAPED_STRING.test(raw) ? defaultDeserialize(raw) : JSON.parse(raw)) as {
    value?: T;
    expires?: number | null;
  };
  if (typeof entry.expires === 'number' && entry.expires < Date.now()) return null;
  return entry.value ?? null;
}
const ESCAPED_STRING = /[:[,]":/;

/**
 * The one place the cache's key names are made (bench/floor.ts reads readings with it too). The
 * Keyv store puts the service's prefix in front (redisKey's rule): `shipments:weather:v1:...`.
 */
export function weatherCacheKey(kind: EntryKind, location: string): string {
  return `weather:v1:${kind}:${location}`;
}

function timedOut(): never {
  throw new Error(`no answer within ${CACHE_TIMEOUT_MS} ms`);
}
