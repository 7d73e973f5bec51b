import { AppConfig } from '@app/config';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { BrokenCircuitError } from 'cockatiel';
import {
  Metrics,
  RedisConnection,
  RedisUnavailableError,
  RepeatedLog,
  SharedFlight,
  WeatherLookupOutcome,
  withTimeout,
} from '@app/infra';
import { ProviderCircuit } from './provider-circuit';
import { SingleFlight } from './single-flight';
import { WeatherUpstreamError } from './weather.errors';
import { CachedReading, WeatherCache } from './weather-cache';
import { WeatherProvider } from './weather-provider';
import { UpstreamCallOptions } from './upstream-http';
import {
  Coordinates,
  locatedBy,
  locationKey,
  WeatherFailure,
  WeatherFetchEvent,
  WeatherLocation,
  WeatherOutcome,
  WeatherReport,
} from './weather-report';

export { BREAKER_FAILURES } from './provider-circuit';
/** "Postcode not found" is the location's own state: remembered per location for a day. */
export const NOT_FOUND_TTL_MS = 24 * 3600 * 1000;

/** Public words for Redis being away: names no host (weatherError is shown to anyone). */
const CACHE_UNAVAILABLE =
  'the weather cache and call budget (Redis) are unavailable, so the provider was not asked';

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
  /** Geocoding by what the geocoder is asked: `1016` and `1016 AB` share one call. */
  private readonly geocodes = new SingleFlight<Coordinates>();
  private readonly listeners: FetchListener[] = [];
  private readonly circuit: ProviderCircuit;
  private readonly failures = new RepeatedLog(this.logger);

  constructor(
    private readonly provider: WeatherProvider,
    private readonly cache: WeatherCache,
    private readonly redis: RedisConnection,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly shared: SharedFlight,
  ) {
    this.circuit = new ProviderCircuit(provider.name, this.retryAfterMs, this.logger);
    metrics.readOnScrape('weather_circuit_open', () => (this.circuit.open ? 1 : 0));
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
    const [outcome, source] = await this.lookUp(location);
    this.metrics.weatherLookups.inc({ outcome: source });
    return outcome;
  }

  private async lookUp(location: WeatherLocation): Promise<[WeatherOutcome, WeatherLookupOutcome]> {
    // Redis known to be away: no cache to read and no budget to take, so nothing to wait for.
    if (this.redis.enabled && !this.redis.available) return [CACHE_DOWN, 'none'];
    const key = locationKey(location);
    const cached = await this.cache.getReading(key);
    if (cached && this.isFresh(cached))
      return [{ report: { ...cached.report, stale: false }, error: null, failure: null }, 'fresh'];
    const fetch = this.flights.run(key, () => this.fetch(location, key, cached, 'lookup'));
    const outcome = await this.withinDeadline(fetch, () =>
      this.fallback(
        cached,
        `${this.provider.name} did not answer within ${this.config.weather.timeoutMs} ms`,
        'timeout',
      ),
    );
    return [outcome, !outcome.report ? 'none' : outcome.report.stale ? 'stale' : 'fetched'];
  }

  /** For the refresh: always asks upstream (waiting for the budget), sharing a fetch under way. */
  async refresh(location: WeatherLocation): Promise<WeatherOutcome> {
    const key = locationKey(location);
    const cached = await this.cache.getReading(key);
    return this.flights.run(key, () => this.fetch(location, key, cached, 'refresh'));
  }

  private async fetch(
    location: WeatherLocation,
    key: string,
    cached: CachedReading | null,
    mode: 'lookup' | 'refresh',
  ): Promise<WeatherOutcome> {
    const options: UpstreamCallOptions = { waitForBudget: mode === 'refresh' };
    const failure = await this.cache.getFailure(key);
    if (failure) {
      // The refresh says it asked, so the warm-up doesn't pick a location whose "not found" is
      // remembered again on every tick; a lookup doesn't (no database write per lookup).
      if (mode === 'refresh')
        this.emit({ location, geocoded: null, report: null, error: failure.error });
      return this.fallback(cached, failure.error, failure.failure);
    }
    // A probe of a failing provider is under way: don't queue behind it, answer at once.
    if (this.circuit.probing) {
      return this.fallback(
        cached,
        `${this.provider.name} is being tried again after failing; ask again in a few seconds`,
        'circuit_open',
      );
    }

    // One upstream fetch per location across every instance: the others wait for its outcome.
    const { result, role } = await this.shared.run(
      `weather:${key}`,
      Math.max(1000, this.config.weather.timeoutMs),
      () => this.fetchUpstream(location, key, cached, options),
    );
    this.metrics.weatherSharedFlights.inc({ role });
    return result;
  }

  /** Geocode when needed, then the reading; cached, announced, or a reason. Never throws. */
  private async fetchUpstream(
    location: WeatherLocation,
    key: string,
    cached: CachedReading | null,
    options: UpstreamCallOptions,
  ): Promise<WeatherOutcome> {
    let geocoded: Coordinates | null = null;
    try {
      const report = await this.circuit.execute(async () => {
        const geoKey = this.provider.geocodeKey(location);
        let coordinates = location.coordinates ?? (await this.cache.getCoordinates(geoKey));
        if (!coordinates) {
          coordinates = await this.geocodes.run(geoKey, async () => {
            const found = await this.provider.geocode(location, options);
            await this.cache.setCoordinates(geoKey, found);
            return found;
          });
          geocoded = coordinates;
        }
        const reading = await this.provider.current(coordinates, options);
        const fresh: WeatherReport = {
          ...reading,
          fetchedAt: new Date().toISOString(),
          provider: this.provider.name,
          stale: false,
          location: {
            zip: location.zip,
            countryCode: location.countryCode,
            locatedBy: locatedBy(location),
          },
        };
        return fresh;
      });
      await this.cache.setReading(key, { report }, this.readingTtlMs);
      this.emit({ location, geocoded, report, error: null });
      return { report, error: null, failure: null };
    } catch (error) {
      const reason = this.describe(error, location);
      const failure = failureKind(error);
      if (error instanceof WeatherUpstreamError) {
        const rememberMs = this.rememberPerLocationMs(error);
        if (rememberMs > 0)
          await this.cache.setFailure(key, { error: reason, failure }, rememberMs);
        this.circuit.failed(error);
        this.failures.warn(
          error.kind,
          `Weather for a location in ${location.countryCode} from ${this.provider.name} failed: ${reason}`,
        );
      } else if (
        !(error instanceof BrokenCircuitError) &&
        !(error instanceof RedisUnavailableError)
      ) {
        this.failures.warn(
          'unexpected',
          `Weather for a location in ${location.countryCode} failed: ${(error as Error)?.stack}`,
        );
      }
      this.emit({ location, geocoded, report: null, error: reason });
      return this.fallback(cached, reason, failure);
    }
  }

  /**
   * How long a failure is remembered for the location itself: "not found" for a day; a timeout or
   * an error answer briefly, so one failing location is not asked on every lookup. A refused key
   * or a rate limit is the provider's state, never the location's: the circuit handles those, and
   * once the key is fixed every location works at once.
   */
  private rememberPerLocationMs(error: WeatherUpstreamError): number {
    switch (error.kind) {
      case 'not_found':
        return NOT_FOUND_TTL_MS;
      case 'timeout':
      case 'unavailable':
      case 'invalid_response':
        return this.retryAfterMs;
      default:
        return 0;
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
    const circuit = this.circuit.describe(error);
    if (circuit) return circuit;
    if (error instanceof RedisUnavailableError) return CACHE_UNAVAILABLE;
    if (error instanceof WeatherUpstreamError) {
      if (error.kind === 'not_found') {
        // Public words: the receiver's postcode is the privacy gate's proof, never in a reason.
        return location.zip === null
          ? `${this.provider.name} does not know the city ${location.city} in ${location.countryCode}`
          : `${this.provider.name} does not know this postcode in ${location.countryCode}`;
      }
      return error.message;
    }
    // Not the provider and not Redis: a bug of ours. Said generically; the log has the message.
    return 'the weather could not be fetched (an internal error; it has been logged)';
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

const CACHE_DOWN: WeatherOutcome = {
  report: null,
  error: CACHE_UNAVAILABLE,
  failure: 'cache_unavailable',
};

function failureKind(error: unknown): WeatherFailure {
  if (error instanceof WeatherUpstreamError) return error.kind;
  if (error instanceof BrokenCircuitError) return 'circuit_open';
  if (error instanceof RedisUnavailableError) return 'cache_unavailable';
  return 'unavailable';
}
