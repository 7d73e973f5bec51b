import { AppConfig } from '@app/config';
import { Lease, LockService, Metrics, RefreshResult } from '@app/infra';
import { WeatherService } from '@app/weather';
import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { LocationsRepository } from '../locations.repository';
import { LocationRecord } from '../shipment.types';
import { ReceiverWeatherService, toWeatherLocation } from './receiver-weather.service';

/** Upstream calls a refresh cycle keeps in flight at once (the call budget still paces them). */
export const REFRESH_CONCURRENCY = 8;
/**
 * Share of a minute's call budget one warm-up tick may use. A new location costs up to two calls
 * (geocode and reading), so a tick takes at most this many locations' worth: the refresh and the
 * lookups keep the rest.
 */
export const WARM_UP_BUDGET_SHARE = 0.25;

export interface RefreshSummary {
  /** True when another instance held the lock (or ran this tick), so this one did nothing. */
  skipped: boolean;
  /** True when the lock was lost half-way, so the cycle stopped early. */
  lockLost: boolean;
  locations: number;
  refreshed: number;
  failed: number;
  peakConcurrency: number;
  durationMs: number;
}

type Job = 'refresh' | 'warm-up';

/**
 * Keeps the weather of receivers warm: the refresh of every active receiver location (cron and
 * the CLI's refresh-weather) and the warm-up of locations that never had a reading (just
 * imported). Each has its own lock, so a long warm-up never makes a refresh skip, and runs on one
 * instance at a time; a lost lock stops the cycle.
 */
@Injectable()
export class WeatherRefreshService {
  private readonly logger = new Logger(WeatherRefreshService.name);

  constructor(
    private readonly weather: WeatherService,
    private readonly receiverWeather: ReceiverWeatherService,
    private readonly locations: LocationsRepository,
    private readonly locks: LockService,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  /**
   * One reading per distinct receiver location of shipments not yet delivered. With `tick` (the
   * schedule's time, the same on every instance) exactly one instance runs it for that tick; one
   * that dies half-way is taken over within WEATHER_REFRESH_LOCK_TTL_MS. Without it (the CLI) it
   * runs unless a cycle is under way.
   */
  async refreshActiveReceivers(tick?: Date): Promise<RefreshSummary> {
    const started = performance.now();
    let result: RefreshResult = 'failed';
    try {
      const summary = await this.run(
        'refresh',
        () => this.locations.findActiveReceiverLocations(),
        tick?.toISOString(),
      );
      result = summary.skipped ? 'skipped' : summary.lockLost ? 'lock_lost' : 'completed';
      return summary;
    } finally {
      this.metrics.weatherRefreshRuns.inc({ result });
      if (result !== 'skipped') {
        this.metrics.weatherRefreshDuration.observe((performance.now() - started) / 1000);
      }
    }
  }

  /** Readings for active locations that never had one, a budget share per tick. */
  warmNewLocations(): Promise<RefreshSummary> {
    return this.run('warm-up', () =>
      this.locations.findActiveLocationsWithoutReading(this.warmUpLimit),
    );
  }

  /** Locations one warm-up tick may take: WARM_UP_BUDGET_SHARE of a minute's calls, 2 each. */
  get warmUpLimit(): number {
    return Math.max(
      1,
      Math.floor((this.config.weather.maxCallsPerMinute * WARM_UP_BUDGET_SHARE) / 2),
    );
  }

  private async run(
    job: Job,
    load: () => Promise<LocationRecord[]>,
    tick?: string,
  ): Promise<RefreshSummary> {
    const name = `weather-${job}`;
    const ttlMs = this.config.weather.refreshLockTtlMs;
    const cycle = async (lease: Lease) => this.cycle(job, await load(), lease, tick);
    const summary = tick
      ? await this.locks.oncePer(name, tick, ttlMs, cycle)
      : await this.underLock(name, ttlMs, cycle);
    if (summary) return summary;
    this.logger.log(
      `Weather ${job} skipped: ${tick ? `another instance ran the ${tick} tick` : 'another instance is running it'}`,
    );
    return { ...EMPTY, skipped: true };
  }

  private async underLock(
    name: string,
    ttlMs: number,
    work: (lease: Lease) => Promise<RefreshSummary>,
  ): Promise<RefreshSummary | null> {
    const lease = await this.locks.tryAcquire(name, ttlMs);
    if (!lease) return null;
    try {
      return await work(lease);
    } finally {
      await lease.release();
    }
  }

  private async cycle(
    job: Job,
    locations: LocationRecord[],
    lease: Lease,
    tick?: string,
  ): Promise<RefreshSummary> {
    const started = performance.now();
    let refreshed = 0;
    let done = 0;
    let inFlight = 0;
    let peakConcurrency = 0;
    await forEachConcurrently(locations, REFRESH_CONCURRENCY, lease.lost, async (location) => {
      peakConcurrency = Math.max(peakConcurrency, ++inFlight);
      const outcome = await this.weather
        .refresh(toWeatherLocation(location))
        .finally(() => inFlight--);
      done++;
      if (outcome.report && !outcome.report.stale) refreshed++;
    });
    await this.receiverWeather.recordsWritten();
    const summary: RefreshSummary = {
      skipped: false,
      lockLost: lease.lost.aborted,
      locations: locations.length,
      refreshed,
      failed: done - refreshed,
      peakConcurrency,
      durationMs: Math.round(performance.now() - started),
    };
    if (summary.locations > 0 || job === 'refresh') {
      this.logger.log(
        `Weather ${job}${tick ? ` of the ${tick} tick` : ''}: ${summary.locations} locations, ` +
          `${summary.refreshed} refreshed, ` +
          `${summary.failed} failed in ${summary.durationMs} ms` +
          (summary.lockLost ? ` (stopped after ${done}: lock lost)` : ''),
      );
    }
    return summary;
  }
}

const EMPTY: RefreshSummary = {
  skipped: false,
  lockLost: false,
  locations: 0,
  refreshed: 0,
  failed: 0,
  peakConcurrency: 0,
  durationMs: 0,
};

/** Runs `work` over `items` with at most `limit` at a time; starts no more once `stop` aborts. */
async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  stop: AbortSignal,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop.aborted) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
