import {
  RedisConnection,
  RepeatedLog,
  WeatherLocation,
  WeatherOutcome,
  WeatherService,
} from '@app/weather';
import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { normalizePostcode } from './address/postcode-formats';
import { LocationsRepository } from './locations.repository';
import { LocationRecord, ShipmentRecord } from './shipment.types';

/** Upstream calls a refresh cycle keeps in flight at once (the call budget still paces them). */
export const REFRESH_CONCURRENCY = 8;
/** The refresh lock expires if its holder dies; while alive the holder renews it. */
const REFRESH_LOCK_TTL_MS = 60_000;

export interface RefreshSummary {
  /** True when another refresh held the lock, so this one did nothing. */
  skipped: boolean;
  locations: number;
  refreshed: number;
  failed: number;
  peakConcurrency: number;
  durationMs: number;
}

const NO_LOCATION: WeatherOutcome = {
  report: null,
  error:
    'the receiver address has no recognisable postcode and country, so there is no place to ask the weather for',
  failure: 'no_location',
};

/**
 * The weather at receivers: for one shipment, for a postcode, and the refresh that keeps every
 * active receiver location warm. Owns "which locations matter"; the weather lib owns fetching.
 */
@Injectable()
export class ReceiverWeatherService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReceiverWeatherService.name);
  private readonly pendingRecords = new Set<Promise<void>>();
  /** While the database is away every fetch record fails: said once a minute, with a count. */
  private readonly recordFailures = new RepeatedLog(this.logger);

  constructor(
    private readonly weather: WeatherService,
    private readonly locations: LocationsRepository,
    private readonly redis: RedisConnection,
  ) {}

  onModuleInit(): void {
    // Each upstream attempt leaves its trace on the location: coordinates for good, reading
    // metadata. Written off the lookup's path; a refresh and shutdown wait for the writes.
    this.weather.onFetched((event) => {
      const write = this.locations.recordWeatherFetch(event).catch((error: Error) => {
        this.recordFailures.warn(
          'record',
          `Could not record a weather fetch (a location in ${event.location.countryCode}): ${error.message}`,
        );
      });
      this.pendingRecords.add(write);
      void write.finally(() => this.pendingRecords.delete(write));
    });
  }

  /** Lets the last fetch records reach the database before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.recordsWritten();
  }

  private async recordsWritten(): Promise<void> {
    await Promise.all([...this.pendingRecords]);
  }

  /** The current weather at the shipment's receiver, or why there is none. */
  forShipment(shipment: ShipmentRecord): Promise<WeatherOutcome> {
    const location = shipment.receiverLocation;
    return location
      ? this.weather.getReport(toWeatherLocation(location))
      : Promise.resolve(NO_LOCATION);
  }

  /** The current weather at a postcode, using the coordinates we already know for it. */
  async forPostcode(
    zip: string,
    countryCode: string,
  ): Promise<WeatherOutcome & { location: WeatherLocation }> {
    const normalized = normalizePostcode(zip, countryCode);
    const known = await this.locations.findByCountryAndZip(countryCode, normalized);
    const location: WeatherLocation = known
      ? toWeatherLocation(known)
      : { countryCode, zip: normalized };
    return { ...(await this.weather.getReport(location)), location };
  }

  /**
   * One reading per distinct receiver location of shipments not yet delivered. Only one instance
   * runs a cycle at a time (a lock with an expiry); the CLI's refresh-weather and the cron job
   * both call this.
   */
  refreshActiveReceivers(): Promise<RefreshSummary> {
    return this.refresh('refresh', () => this.locations.findActiveReceiverLocations());
  }

  /** Readings for active locations that never had one (just imported), between cycles. */
  warmNewLocations(): Promise<RefreshSummary> {
    return this.refresh('warm-up', () => this.locations.findActiveLocationsWithoutReading());
  }

  private async refresh(
    label: string,
    load: () => Promise<LocationRecord[]>,
  ): Promise<RefreshSummary> {
    const release = await this.redis.tryLock('weather-refresh', REFRESH_LOCK_TTL_MS);
    if (!release) {
      this.logger.log(`Weather ${label} skipped: another refresh is running`);
      return {
        skipped: true,
        locations: 0,
        refreshed: 0,
        failed: 0,
        peakConcurrency: 0,
        durationMs: 0,
      };
    }
    const started = performance.now();
    try {
      const locations = await load();
      let refreshed = 0;
      let inFlight = 0;
      let peakConcurrency = 0;
      await forEachConcurrently(locations, REFRESH_CONCURRENCY, async (location) => {
        peakConcurrency = Math.max(peakConcurrency, ++inFlight);
        const outcome = await this.weather
          .refresh(toWeatherLocation(location))
          .finally(() => inFlight--);
        if (outcome.report && !outcome.report.stale) refreshed++;
      });
      await this.recordsWritten();
      const summary = {
        skipped: false,
        locations: locations.length,
        refreshed,
        failed: locations.length - refreshed,
        peakConcurrency,
        durationMs: Math.round(performance.now() - started),
      };
      if (summary.locations > 0 || label === 'refresh') {
        this.logger.log(
          `Weather ${label}: ${summary.locations} locations, ${summary.refreshed} refreshed, ` +
            `${summary.failed} failed in ${summary.durationMs} ms`,
        );
      }
      return summary;
    } finally {
      await release();
    }
  }
}

function toWeatherLocation({
  countryCode,
  zip,
  city,
  coordinates,
}: LocationRecord): WeatherLocation {
  return { countryCode, zip, city, coordinates };
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
