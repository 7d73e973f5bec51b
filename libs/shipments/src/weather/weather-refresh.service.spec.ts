import { loadConfig } from '@app/config';
import { Lease, LockService, Metrics, RedisConnection } from '@app/infra';
import { WeatherOutcome, WeatherService } from '@app/weather';
import { Logger } from '@nestjs/common';
import { LocationsRepository } from '../locations.repository';
import { LocationRecord } from '../shipment.types';
import { ReceiverWeatherService } from './receiver-weather.service';
import { WeatherRefreshService } from './weather-refresh.service';

const location = (id: number): LocationRecord => ({
  id: String(id),
  countryCode: 'FR',
  zip: String(75000 + id),
  city: 'Paris',
  coordinates: null,
});
const FRESH: WeatherOutcome = {
  report: { stale: false } as WeatherOutcome['report'],
  error: null,
  failure: null,
};

/** A weather service whose refreshes wait until the test lets them finish. */
function gatedWeather() {
  const waiting: (() => void)[] = [];
  const weather = {
    refresh: jest.fn(
      () => new Promise<WeatherOutcome>((resolve) => waiting.push(() => resolve(FRESH))),
    ),
  };
  /** Lets every refresh finish, as they start, until `work` is done. */
  const finishAll = async <T>(work: Promise<T>): Promise<T> => {
    let done = false;
    void work.finally(() => (done = true));
    while (!done) {
      waiting.splice(0).forEach((finish) => finish());
      await new Promise((resolve) => setImmediate(resolve));
    }
    return work;
  };
  return { weather, finishAll };
}

describe(WeatherRefreshService.name, () => {
  const locations = {
    findActiveReceiverLocations: jest.fn(() => Promise.resolve([location(1), location(2)])),
    findActiveLocationsWithoutReading: jest.fn((limit: number) =>
      Promise.resolve(Array.from({ length: limit }, (_, i) => location(100 + i))),
    ),
  };
  const receiverWeather = { recordsWritten: () => Promise.resolve() };
  const create = (weather: object, locks: LockService, env: Record<string, string> = {}) =>
    new WeatherRefreshService(
      weather as WeatherService,
      receiverWeather as ReceiverWeatherService,
      locations as unknown as LocationsRepository,
      locks,
      loadConfig(env),
      new Metrics(),
    );
  const localLocks = () => new LockService({ enabled: false } as RedisConnection);

  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('runs the refresh while a long warm-up holds its own lock (they used to share one)', async () => {
    const { weather, finishAll } = gatedWeather();
    const sut = create(weather, localLocks());
    const warmUp = sut.warmNewLocations();
    await new Promise((resolve) => setImmediate(resolve));
    const refresh = sut.refreshActiveReceivers();
    await new Promise((resolve) => setImmediate(resolve));
    // Yet a second warm-up waits its turn.
    expect(await sut.warmNewLocations()).toMatchObject({ skipped: true });
    expect(await finishAll(refresh)).toMatchObject({ skipped: false, locations: 2, refreshed: 2 });
    expect(await finishAll(warmUp)).toMatchObject({ skipped: false, lockLost: false });
  });

  it('takes a share of the call budget per warm-up tick, not all of it', async () => {
    const { weather, finishAll } = gatedWeather();
    const sut = create(weather, localLocks(), { WEATHER_MAX_CALLS_PER_MINUTE: '600' });
    const warmUp = await finishAll(sut.warmNewLocations());
    // A quarter of 600 calls, two calls (geocode and reading) per new location.
    expect(locations.findActiveLocationsWithoutReading).toHaveBeenCalledWith(75);
    expect(warmUp.locations).toBe(75);
  });

  it('stops a cycle whose lock is lost, starting no further location', async () => {
    const lost = new AbortController();
    const lease: Lease = { name: 'weather-refresh', lost: lost.signal, release: jest.fn() };
    const locks = { tryAcquire: () => Promise.resolve(lease) } as unknown as LockService;
    locations.findActiveReceiverLocations.mockResolvedValueOnce(
      Array.from({ length: 20 }, (_, i) => location(i)),
    );
    const { weather, finishAll } = gatedWeather();
    const sut = create(weather, locks);
    const refresh = sut.refreshActiveReceivers();
    await new Promise((resolve) => setImmediate(resolve));
    expect(weather.refresh).toHaveBeenCalledTimes(8);
    lost.abort();
    const summary = await finishAll(refresh);
    expect(summary).toMatchObject({ lockLost: true, locations: 20, refreshed: 8, failed: 0 });
    expect(weather.refresh).toHaveBeenCalledTimes(8);
    expect(lease.release).toHaveBeenCalled();
  });
});
