import { loadConfig } from '@app/config';
import { Metrics, RedisConnection, SharedFlight } from '@app/infra';
import { Logger } from '@nestjs/common';
import { WeatherUpstreamError } from './weather.errors';
import { WeatherCache } from './weather-cache';
import {
  after,
  createWeatherService,
  failing,
  FakeProvider,
  mapCache,
  paris,
  pass,
  READING,
  settled,
} from './weather.service.fixtures';
import { BREAKER_FAILURES, WeatherService } from './weather.service';

/** The circuit, the Retry-After hold, Redis away, and what the logs and reasons may say. */
describe(`${WeatherService.name}: when the provider keeps failing`, () => {
  let provider: FakeProvider;
  let sut: WeatherService;
  const create = (env: Record<string, string> = {}) => {
    ({ provider, sut } = createWeatherService(env));
  };

  // Fake timers and clock throughout: timeouts, TTLs and the circuit's wait are logical time.
  beforeEach(() => {
    jest.useFakeTimers();
    create();
  });
  afterEach(() => jest.useRealTimers());

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
      sut = new WeatherService(
        provider,
        new WeatherCache(mapCache(), away),
        away,
        config,
        new Metrics(),
        new SharedFlight(away),
      );
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
