import { AppConfig } from '@app/config';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitBreakerPolicy,
  ConsecutiveBreaker,
  handleWhen,
} from 'cockatiel';
import { RedisConnection } from './redis-connection';
import { SingleFlight } from './single-flight';
import { WeatherUpstreamError } from './weather.errors';
import { CachedReading, WeatherCache } from './weather-cache';
import { WeatherProvider } from './weather-provider';
import { withTimeout } from './with-timeout';
import { UpstreamCallOptions } from './upstream-http';
import {
  Coordinates,
  locationKey,
  WeatherFailure,
  WeatherFetchEvent,
  WeatherLocation,
  WeatherOutcome,
  WeatherReport,
} from './weather-report';

/** Consecutive transient failures that open the circuit (for WEATHER_RETRY_AFTER_SECONDS). */
export const BREAKER_FAILURES = 5;
/** "Postcode not found" is remembered for a day; transient failures for WEATHER_RETRY_AFTER_SECONDS. */
export const NOT_FOUND_TTL_MS = 24 * 3600 * 1000;

type FetchListener = (event: WeatherFetchEvent) => void;

/**
 * Current weather per location: fresh from the cache when it can, otherwise one upstream fetch
 * per location at a time (single flight), under the call budget and a circuit breaker. A lookup
 * waits at most WEATHER_TIMEOUT_MS; past that it gets the stale reading or a reason, while the
 * fetch goes on and warms the cache. Never throws for upstream trouble: it returns a reason.
 */
@Injectable()
export class WeatherService implements OnModuleInit {
  private readonly logger = new Logger(WeatherService.name);
  private readonly flights = new SingleFlight<WeatherOutcome>();
  private readonly listeners: FetchListener[] = [];
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    private readonly provider: WeatherProvider,
    private readonly cache: WeatherCache,
    private readonly redis: RedisConnection,
    private readonly config: AppConfig,
  ) {
    this.breaker = circuitBreaker(
      handleWhen(
        (error) =>
          error instanceof WeatherUpstreamError &&
          error.transient &&
          error.kind !== 'budget_exhausted',
      ),
      { halfOpenAfter: this.retryAfterMs, breaker: new ConsecutiveBreaker(BREAKER_FAILURES) },
    );
  }

  onModuleInit(): void {
    if (!this.redis.enabled) {
      this.logger.log(
        'REDIS_URL is not set: weather cache, call budget and refresh lock are in-process (single instance only)',
      );
    }
  }

  /** Called after every upstream attempt, once per fetch however many callers shared it. */
  onFetched(listener: FetchListener): void {
    this.listeners.push(listener);
  }

  /** For a lookup: fresh from the cache, or fetched within the timeout, or stale, or a reason. */
  async getReport(location: WeatherLocation): Promise<WeatherOutcome> {
    const key = locationKey(location);
    const cached = await this.cache.getReading(key);
    if (cached && this.isFresh(cached))
      return { report: { ...cached.report, stale: false }, error: null, failure: null };
    const fetch = this.flights.run(key, () =>
      this.fetch(location, key, cached, { waitForBudget: false }),
    );
    return this.withinDeadline(fetch, () =>
      this.fallback(
        cached,
        `${this.provider.name} did not answer within ${this.config.weather.timeoutMs} ms`,
        'timeout',
      ),
    );
  }

  /** For the refresh: always asks upstream (waiting for the budget), sharing a fetch under way. */
  async refresh(location: WeatherLocation): Promise<WeatherOutcome> {
    const key = locationKey(location);
    const cached = await this.cache.getReading(key);
    return this.flights.run(key, () => this.fetch(location, key, cached, { waitForBudget: true }));
  }

  private async fetch(
    location: WeatherLocation,
    key: string,
    cached: CachedReading | null,
    options: UpstreamCallOptions,
  ): Promise<WeatherOutcome> {
    const failure = await this.cache.getFailure(key);
    if (failure) return this.fallback(cached, failure.error, failure.failure);

    let geocoded: Coordinates | null = null;
    try {
      const report = await this.breaker.execute(async () => {
        let coordinates = location.coordinates ?? (await this.cache.getCoordinates(key));
        if (!coordinates) {
          coordinates = await this.provider.geocode(location, options);
          geocoded = coordinates;
          await this.cache.setCoordinates(key, coordinates);
        }
        const reading = await this.provider.current(coordinates, options);
        const fresh: WeatherReport = {
          ...reading,
          fetchedAt: new Date().toISOString(),
          provider: this.provider.name,
          stale: false,
          location: { zip: location.zip, countryCode: location.countryCode },
        };
        return fresh;
      });
      await this.cache.setReading(key, { report }, this.readingTtlMs);
      this.emit({ location, geocoded, report, error: null });
      return { report, error: null, failure: null };
    } catch (error) {
      const reason = this.describe(error, location);
      const failure: WeatherFailure =
        error instanceof WeatherUpstreamError
          ? error.kind
          : error instanceof BrokenCircuitError
            ? 'circuit_open'
            : 'unavailable';
      if (error instanceof WeatherUpstreamError && error.kind !== 'budget_exhausted') {
        const ttl = error.transient ? this.retryAfterMs : NOT_FOUND_TTL_MS;
        await this.cache.setFailure(key, { error: reason, failure }, ttl);
      }
      if (!(error instanceof BrokenCircuitError)) {
        this.logger.warn(`Weather for ${key} from ${this.provider.name} failed: ${reason}`);
      }
      this.emit({ location, geocoded, report: null, error: reason });
      return this.fallback(cached, reason, failure);
    }
  }

  /** The last good reading (kept for WEATHER_STALE_TTL_SECONDS) marked stale, else the reason. */
  private fallback(
    cached: CachedReading | null,
    error: string,
    failure: WeatherFailure,
  ): WeatherOutcome {
    return cached
      ? { report: { ...cached.report, stale: true }, error: null, failure: null }
      : { report: null, error, failure };
  }

  private describe(error: unknown, location: WeatherLocation): string {
    if (error instanceof BrokenCircuitError) {
      return (
        `${this.provider.name} failed ${BREAKER_FAILURES} times in a row, so it is not called for ` +
        `${this.retryAfterMs / 1000} s (circuit open)`
      );
    }
    if (error instanceof WeatherUpstreamError) {
      if (error.kind === 'not_found') {
        return `${this.provider.name} does not know the postcode ${location.zip} in ${location.countryCode}`;
      }
      return error.message;
    }
    // Not the provider: our own infrastructure (Redis, for the cache and the call budget).
    return `the weather could not be fetched: ${(error as Error)?.message ?? 'unknown error'}`;
  }

  private isFresh(cached: CachedReading): boolean {
    return (
      Date.now() - Date.parse(cached.report.fetchedAt) < this.config.weather.cacheTtlSeconds * 1000
    );
  }

  private get retryAfterMs(): number {
    return this.config.weather.retryAfterSeconds * 1000;
  }

  private get readingTtlMs(): number {
    const { cacheTtlSeconds, staleTtlSeconds } = this.config.weather;
    return Math.max(cacheTtlSeconds, staleTtlSeconds) * 1000;
  }

  /** A little past the per-call timeout, so a single timed-out call reports itself first. */
  private withinDeadline(
    work: Promise<WeatherOutcome>,
    onTimeout: () => WeatherOutcome,
  ): Promise<WeatherOutcome> {
    return withTimeout(work, this.config.weather.timeoutMs + 50, onTimeout);
  }

  private emit(event: WeatherFetchEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error('A weather fetch listener failed', (error as Error).stack);
      }
    }
  }
}
