import { loadConfig } from '@app/config';
import { Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { RedisConnection } from '@app/infra';
import { UpstreamCallOptions } from './upstream-http';
import { WeatherUpstreamError } from './weather.errors';
import { WeatherCache } from './weather-cache';
import { ProviderReading, WeatherProvider } from './weather-provider';
import { Coordinates, WeatherFetchEvent, WeatherLocation } from './weather-report';
import { BREAKER_FAILURES, WeatherService } from './weather.service';

const READING: ProviderReading = {
  temperature: 11.5,
  feelsLike: 9.5,
  humidity: 80,
  windSpeed: 4.2,
  condition: 'Clouds',
  description: 'overcast',
  observedAt: '2026-11-25T17:45:00.000Z',
};

/** A provider whose behaviour each test sets; counts its calls. */
class FakeProvider extends WeatherProvider {
  readonly name = 'open-meteo' as const;
  geocodeCalls = 0;
  currentCalls = 0;
  currentOptions: UpstreamCallOptions[] = [];
  geocodeResult: () => Promise<Coordinates> = () =>
    Promise.resolve({ latitude: 48.85, longitude: 2.35 });
  currentResult: () => Promise<ProviderReading> = () => Promise.resolve(READING);

  geocode(): Promise<Coordinates> {
    this.geocodeCalls++;
    return this.geocodeResult();
  }

  current(_: Coordinates, options: UpstreamCallOptions): Promise<ProviderReading> {
    this.currentCalls++;
    this.currentOptions.push(options);
    return this.currentResult();
  }
}

/** cache-manager over a Map, honouring TTLs. */
function mapCache(): Cache {
  const entries = new Map<string, { value: unknown; expires: number }>();
  return {
    get: (key: string) => {
      const entry = entries.get(key);
      return Promise.resolve(entry && entry.expires > Date.now() ? entry.value : undefined);
    },
    set: (key: string, value: unknown, ttl: number) => {
      entries.set(key, { value, expires: Date.now() + ttl });
      return Promise.resolve(value);
    },
  } as unknown as Cache;
}

const noRedis = {
  client: () => Promise.resolve(null),
  enabled: false,
} as unknown as RedisConnection;
/** The provider takes this long (a fake timer: the test moves the clock). */
const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Moves the fake clock on, running what falls due. */
const pass = (ms: number) => jest.advanceTimersByTimeAsync(ms);
/** Whether a promise has settled, without waiting for it. */
const settled = async (work: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void work.then(
    () => (done = true),
    () => (done = true),
  );
  // Enough turns of the microtask queue for the service's awaits, with no time passing.
  for (let turn = 0; turn < 50 && !done; turn++) await Promise.resolve();
  return done;
};
const paris: WeatherLocation = { countryCode: 'FR', zip: '75001', city: 'Paris' };
const failing =
  (kind: WeatherUpstreamError['kind'], message = 'open-meteo is failing (HTTP 500)') =>
  () =>
    Promise.reject(new WeatherUpstreamError(kind, 'open-meteo', message));

describe(WeatherService.name, () => {
  let provider: FakeProvider;
  let sut: WeatherService;
  let events: WeatherFetchEvent[];

  const create = (env: Record<string, string> = {}) => {
    provider = new FakeProvider();
    const config = loadConfig({
      WEATHER_TIMEOUT_MS: '200',
      WEATHER_RETRY_AFTER_SECONDS: '1',
      ...env,
    });
    sut = new WeatherService(provider, new WeatherCache(mapCache(), noRedis), noRedis, config);
    events = [];
    sut.onFetched((event) => events.push(event));
  };

  // Fake timers and clock throughout: timeouts, TTLs and the circuit's wait are logical time.
  beforeEach(() => {
    jest.useFakeTimers();
    create();
  });
  afterEach(() => jest.useRealTimers());

  it('geocodes a new location once, fetches, and reports in one normalised shape', async () => {
    const outcome = await sut.getReport(paris);
    expect(outcome).toEqual({
      report: {
        ...READING,
        provider: 'open-meteo',
        stale: false,
        fetchedAt: expect.any(String),
        location: { zip: '75001', countryCode: 'FR' },
      },
      error: null,
      failure: null,
    });
    expect([provider.geocodeCalls, provider.currentCalls]).toEqual([1, 1]);
    expect(events).toEqual([
      expect.objectContaining({ geocoded: { latitude: 48.85, longitude: 2.35 }, error: null }),
    ]);
  });

  it('serves a second lookup from the cache without calling the provider', async () => {
    await sut.getReport(paris);
    await sut.getReport({ ...paris, zip: '75 001' });
    expect(provider.currentCalls).toBe(1);
  });

  it('geocodes 1016 and 1016 AB (one place to the geocoder) once, reading each location', async () => {
    const amsterdam = { countryCode: 'NL', city: 'Amsterdam' };
    await Promise.all([
      sut.getReport({ ...amsterdam, zip: '1016' }),
      sut.getReport({ ...amsterdam, zip: '1016 AB' }),
    ]);
    await sut.getReport({ ...amsterdam, zip: '1016 XY' });
    expect(provider.geocodeCalls).toBe(1);
    expect(provider.currentCalls).toBe(3);
  });

  it('skips geocoding when the coordinates are known', async () => {
    await sut.getReport({ ...paris, coordinates: { latitude: 1, longitude: 2 } });
    expect(provider.geocodeCalls).toBe(0);
  });

  it('makes one upstream call for 40 concurrent misses of one location, and tells listeners once', async () => {
    provider.currentResult = () => after(50).then(() => READING);
    const lookups = Promise.all(Array.from({ length: 40 }, () => sut.getReport(paris)));
    await pass(50);
    const outcomes = await lookups;
    expect(outcomes.every((outcome) => outcome.report?.temperature === 11.5)).toBe(true);
    expect([provider.geocodeCalls, provider.currentCalls]).toEqual([1, 1]);
    expect(events).toHaveLength(1);
  });

  it('answers within the timeout when the provider is slow, then has the reading once it arrives', async () => {
    provider.currentResult = () => after(400).then(() => READING);
    const lookup = sut.getReport(paris);
    // The deadline is WEATHER_TIMEOUT_MS (200) and a little: answered by 250 ms of 400.
    await pass(250);
    expect(await settled(lookup)).toBe(true);
    expect(await lookup).toEqual({
      report: null,
      error: 'open-meteo did not answer within 200 ms',
      failure: 'timeout',
    });
    await pass(150);
    expect((await sut.getReport(paris)).report?.stale).toBe(false);
    expect(provider.currentCalls).toBe(1);
  });

  it('returns a reason for a failing provider, remembers it briefly, then asks again', async () => {
    provider.currentResult = failing('unavailable');
    expect(await sut.getReport(paris)).toEqual({
      report: null,
      error: 'open-meteo is failing (HTTP 500)',
      failure: 'unavailable',
    });
    await sut.getReport(paris);
    expect(provider.currentCalls).toBe(1);
    provider.currentResult = () => Promise.resolve(READING);
    await pass(1100);
    expect((await sut.getReport(paris)).report?.temperature).toBe(11.5);
    expect(provider.currentCalls).toBe(2);
  });

  it('serves the last good reading marked stale when the provider fails after it expired', async () => {
    create({ WEATHER_CACHE_TTL_SECONDS: '1', WEATHER_RETRY_AFTER_SECONDS: '1' });
    await sut.getReport(paris);
    await pass(1100);
    provider.currentResult = failing('unavailable');
    const outcome = await sut.getReport(paris);
    expect(outcome.report).toMatchObject({ temperature: 11.5, stale: true });
    expect(outcome.error).toBeNull();
    expect(provider.currentCalls).toBe(2);
  });

  it('says when the provider does not know the postcode, and does not ask again soon', async () => {
    provider.geocodeResult = failing('not_found', 'open-meteo does not know postcode 99999 in FR');
    const outcome = await sut.getReport({ ...paris, zip: '99999' });
    expect(outcome).toEqual({
      report: null,
      error: 'open-meteo does not know this postcode in FR',
      failure: 'not_found',
    });
    await pass(1100);
    await sut.getReport({ ...paris, zip: '99999' });
    expect(provider.geocodeCalls).toBe(1);
  });

  it('tells listeners when a refresh meets a remembered failure, so the location counts as tried', async () => {
    provider.geocodeResult = failing('not_found');
    const unknown = { ...paris, zip: '99999' };
    await sut.refresh(unknown);
    await sut.refresh(unknown);
    expect(provider.geocodeCalls).toBe(1);
    const reason = 'open-meteo does not know this postcode in FR';
    expect(events).toEqual([
      expect.objectContaining({ location: unknown, report: null, error: reason }),
      { location: unknown, geocoded: null, report: null, error: reason },
    ]);
    // A lookup meeting it writes nothing: no database write per lookup.
    await sut.getReport(unknown);
    expect(events).toHaveLength(2);
  });

  it(`stops calling the provider after ${BREAKER_FAILURES} failures in a row, and says so`, async () => {
    provider.currentResult = failing('unavailable');
    for (let i = 0; i < BREAKER_FAILURES; i++) await sut.getReport({ ...paris, zip: `7500${i}` });
    const outcome = await sut.getReport({ ...paris, zip: '75010' });
    expect(outcome.failure).toBe('circuit_open');
    expect(outcome.error).toMatch(
      /failed 5 times in a row, so it is not called for 1 s \(circuit open\)/,
    );
    expect(provider.currentCalls).toBe(BREAKER_FAILURES);
  });

  it('does not count its own call budget running out as a provider failure', async () => {
    provider.currentResult = failing(
      'budget_exhausted',
      'the weather call budget (60 per minute) is used up',
    );
    for (let i = 0; i < BREAKER_FAILURES + 1; i++)
      await sut.getReport({ ...paris, zip: `7500${i}` });
    expect(provider.currentCalls).toBe(BREAKER_FAILURES + 1);
    // Not remembered either: the next lookup may find budget again.
    await sut.getReport({ ...paris, zip: '75000' });
    expect(provider.currentCalls).toBe(BREAKER_FAILURES + 2);
  });

  it('refreshes even a fresh reading, waiting for the budget instead of failing', async () => {
    await sut.getReport(paris);
    const outcome = await sut.refresh(paris);
    expect(outcome.report?.stale).toBe(false);
    expect(provider.currentCalls).toBe(2);
    expect(provider.currentOptions).toEqual([{ waitForBudget: false }, { waitForBudget: true }]);
  });

  describe('when the provider refuses the key, rate limits or probes', () => {
    it('never remembers a refused key per location: once the key is fixed, every location works', async () => {
      provider.currentResult = failing(
        'unauthorized',
        'open-meteo refused the API key (HTTP 401); check WEATHER_API_KEY',
      );
      expect((await sut.getReport(paris)).failure).toBe('unauthorized');
      provider.currentResult = () => Promise.resolve(READING);
      // No sleep: nothing about the key was stored for Paris.
      expect((await sut.getReport(paris)).report?.temperature).toBe(11.5);
      expect(provider.currentCalls).toBe(2);
    });

    it('opens the circuit on refused keys like on other provider failures, saying the last one', async () => {
      provider.currentResult = failing(
        'unauthorized',
        'open-meteo refused the API key (HTTP 401); check WEATHER_API_KEY',
      );
      for (let i = 0; i < BREAKER_FAILURES; i++) await sut.getReport({ ...paris, zip: `7500${i}` });
      const outcome = await sut.getReport({ ...paris, zip: '75010' });
      expect(outcome.failure).toBe('circuit_open');
      expect(outcome.error).toMatch(/circuit open\); last failure: .*refused the API key/);
      expect(provider.currentCalls).toBe(BREAKER_FAILURES);
    });

    it("honours a 429's Retry-After: no call until it has passed, whatever the location", async () => {
      create({ WEATHER_RETRY_AFTER_SECONDS: '60' });
      provider.currentResult = () =>
        Promise.reject(
          new WeatherUpstreamError(
            'rate_limited',
            'open-meteo',
            'open-meteo is rate limiting us',
            1200,
          ),
        );
      expect((await sut.getReport(paris)).failure).toBe('rate_limited');
      provider.currentResult = () => Promise.resolve(READING);
      const held = await sut.getReport({ ...paris, zip: '75002' });
      expect(held.failure).toBe('circuit_open');
      expect(held.error).toMatch(/asked us to wait \(HTTP 429\): not called for another [12] s/);
      expect(provider.currentCalls).toBe(1);
      await pass(1300);
      expect((await sut.getReport({ ...paris, zip: '75003' })).report?.temperature).toBe(11.5);
      // Not remembered for Paris either: a rate limit is the provider's state.
      expect((await sut.getReport(paris)).report?.temperature).toBe(11.5);
      expect(provider.currentCalls).toBe(3);
    });

    it('answers at once while a half-open probe of a hanging provider is under way', async () => {
      provider.currentResult = failing('unavailable');
      for (let i = 0; i < BREAKER_FAILURES; i++) await sut.getReport({ ...paris, zip: `7500${i}` });
      await pass(1100); // WEATHER_RETRY_AFTER_SECONDS=1: the next call probes
      provider.currentResult = () => after(1000).then(() => READING);
      const probe = sut.getReport({ ...paris, zip: '75010' });
      await pass(20);
      // Answered with no time passing, while the probe still hangs.
      const other = sut.getReport({ ...paris, zip: '75011' });
      expect(await settled(other)).toBe(true);
      expect(await other).toEqual({
        report: null,
        error: 'open-meteo is being tried again after failing; ask again in a few seconds',
        failure: 'circuit_open',
      });
      await pass(1000);
      await probe;
      expect(provider.currentCalls).toBe(BREAKER_FAILURES + 1);
    });
  });

  describe('when Redis is away', () => {
    it('answers at once that the cache and budget are unavailable, naming no host', async () => {
      const away = { enabled: true, available: false } as unknown as RedisConnection;
      const config = loadConfig({ REDIS_URL: 'redis://cache.internal:6379' });
      sut = new WeatherService(provider, new WeatherCache(mapCache(), away), away, config);
      const outcome = await sut.getReport(paris);
      expect(outcome).toEqual({
        report: null,
        error:
          'the weather cache and call budget (Redis) are unavailable, so the provider was not asked',
        failure: 'cache_unavailable',
      });
      expect(provider.currentCalls).toBe(0);
    });
  });

  it('logs a failure that repeats on every lookup once a minute, not once per lookup', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      provider.currentResult = failing('budget_exhausted', 'the weather call budget is used up');
      for (let i = 0; i < 50; i++) await sut.getReport({ ...paris, zip: `75${i}` });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('names no postcode or coordinates in any reason or log line (they reach the public view)', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const secret = {
        ...paris,
        zip: '75116',
        coordinates: { latitude: 48.8637, longitude: 2.2769 },
      };
      const outcomes = [];
      for (const kind of ['not_found', 'unavailable', 'invalid_response'] as const) {
        create();
        provider.currentResult = failing(kind, `open-meteo failed (${kind})`);
        outcomes.push(await sut.getReport({ ...secret, zip: `75116` }));
      }
      const said = JSON.stringify([outcomes, warn.mock.calls]);
      expect(said).not.toMatch(/75116|48\.86|2\.27/);
    } finally {
      warn.mockRestore();
    }
  });
});
