import { WeatherFetchEvent } from './weather-report';
import {
  after,
  createWeatherService,
  failing,
  FakeProvider,
  paris,
  pass,
  READING,
  settled,
} from './weather.service.fixtures';
import { WeatherService } from './weather.service';

describe(WeatherService.name, () => {
  let provider: FakeProvider;
  let sut: WeatherService;
  let events: WeatherFetchEvent[];
  const create = (env: Record<string, string> = {}) => {
    ({ provider, sut, events } = createWeatherService(env));
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
        location: { zip: '75001', countryCode: 'FR', locatedBy: 'postcode' },
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
});
