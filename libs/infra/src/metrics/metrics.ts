import { Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  LabelValues,
  Registry,
} from 'prom-client';

export type WeatherLookupOutcome = 'fresh' | 'stale' | 'fetched' | 'none';
export type RateLimitReason = 'rate_limit' | 'zip_attempts';
export type RefreshResult = 'completed' | 'skipped' | 'lock_lost' | 'failed';
export type LookupCacheResult = 'hit' | 'miss' | 'bypass';
export type SharedFlightRole = 'led' | 'joined';

/** A reading taken when Prometheus scrapes (a budget in Redis, a breaker's state). */
type Reading = () => number | Promise<number>;

/**
 * The process's metrics, in its own registry (not prom-client's global one, so two apps in one
 * test process don't collide). The instruments are named here, once; the modules that know the
 * events record them. Label values are small fixed sets, never a tracking number or a client.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly readings = new Map<string, Reading>();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly weatherLookups = this.counter(
    'weather_lookups_total',
    'Weather readings asked for by lookups, by outcome (fresh from the cache, fetched, stale, none)',
    ['outcome'],
    (['fresh', 'stale', 'fetched', 'none'] satisfies WeatherLookupOutcome[]).map((outcome) => ({
      outcome,
    })),
  );

  readonly lookupCache = this.counter(
    'lookup_cache_requests_total',
    'Shipment lookups by what the in-process cache did (hit; miss: read and kept; bypass: freshness unconfirmed, read from the database)',
    ['result'],
    (['hit', 'miss', 'bypass'] satisfies LookupCacheResult[]).map((result) => ({ result })),
  );

  readonly weatherSharedFlights = this.counter(
    'weather_shared_flights_total',
    'Weather fetches this process needed, by role across instances (led: it asked the provider; joined: it waited for the instance that did)',
    ['role'],
    (['led', 'joined'] satisfies SharedFlightRole[]).map((role) => ({ role })),
  );

  readonly weatherUpstreamRequests = this.counter(
    'weather_upstream_requests_total',
    'Requests sent to the weather provider, by provider, endpoint path and outcome',
    ['provider', 'endpoint', 'outcome'],
  );

  readonly rateLimitedRequests = this.counter(
    'rate_limited_requests_total',
    'Requests answered 429, by reason (rate_limit: too many requests; zip_attempts: the zip gate is locked)',
    ['reason'],
    (['rate_limit', 'zip_attempts'] satisfies RateLimitReason[]).map((reason) => ({ reason })),
  );

  readonly weatherRefreshRuns = this.counter(
    'weather_refresh_runs_total',
    'Scheduled (or CLI) weather refresh cycles of this process, by result',
    ['result'],
    (['completed', 'skipped', 'lock_lost', 'failed'] satisfies RefreshResult[]).map((result) => ({
      result,
    })),
  );

  readonly weatherRefreshDuration = new Histogram({
    name: 'weather_refresh_duration_seconds',
    help: 'Duration of the weather refresh cycles this process ran',
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });

  constructor() {
    this.gauge(
      'weather_call_budget_remaining',
      'Upstream weather calls left in the current 60 s window (shared by every instance through Redis)',
    );
    this.gauge(
      'weather_circuit_open',
      '1 while the circuit breaker around the weather provider is open (or held by a Retry-After), else 0',
    );
  }

  /** Reports `name`'s value by calling `read` at every scrape (the module that owns it knows how). */
  readOnScrape(
    name: 'weather_call_budget_remaining' | 'weather_circuit_open',
    read: Reading,
  ): void {
    this.readings.set(name, read);
  }

  /** process_* and nodejs_* (CPU, memory, event loop lag, GC), for the API process only. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  private counter<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    initial: LabelValues<L>[] = [],
  ): Counter<L> {
    const counter = new Counter({ name, help, labelNames, registers: [this.registry] });
    // Series that exist at 0 from the start, so rate() and the dashboard see the first event.
    for (const labels of initial) counter.inc(labels, 0);
    return counter;
  }

  private gauge(name: string, help: string): void {
    const readings = this.readings;
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        const read = readings.get(name);
        // A reading that fails (Redis away) leaves the series out rather than failing the scrape.
        if (read) {
          try {
            this.set(await read());
          } catch {
            this.reset();
          }
        }
      },
    });
  }
}
