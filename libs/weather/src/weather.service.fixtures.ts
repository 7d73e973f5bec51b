/** Test support for the WeatherService specs: a scripted provider, a Map cache, logical time. */
import { loadConfig } from '@app/config';
import type { Cache } from 'cache-manager';
import { Metrics, RedisConnection, SharedFlight } from '@app/infra';
import { UpstreamCallOptions } from './upstream-http';
import { WeatherUpstreamError } from './weather.errors';
import { WeatherCache } from './weather-cache';
import { ProviderReading, WeatherProvider } from './weather-provider';
import { Coordinates, WeatherFetchEvent, WeatherLocation } from './weather-report';
import { WeatherService } from './weather.service';

export const READING: ProviderReading = {
  temperature: 11.5,
  feelsLike: 9.5,
  humidity: 80,
  windSpeed: 4.2,
  condition: 'Clouds',
  description: 'overcast',
  observedAt: '2026-11-25T17:45:00.000Z',
};

/** A provider whose behaviour each test sets; counts its calls. */
export class FakeProvider extends WeatherProvider {
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
export function mapCache(): Cache {
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

export const noRedis = {
  client: () => Promise.resolve(null),
  enabled: false,
} as unknown as RedisConnection;
/** The provider takes this long (a fake timer: the test moves the clock). */
export const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Moves the fake clock on, running what falls due. */
export const pass = (ms: number) => jest.advanceTimersByTimeAsync(ms);
/** Whether a promise has settled, without waiting for it. */
export const settled = async (work: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void work.then(
    () => (done = true),
    () => (done = true),
  );
  // Enough turns of the microtask queue for the service's awaits, with no time passing.
  for (let turn = 0; turn < 50 && !done; turn++) await Promise.resolve();
  return done;
};
export const paris: WeatherLocation = { countryCode: 'FR', zip: '75001', city: 'Paris' };
export const failing =
  (kind: WeatherUpstreamError['kind'], message = 'open-meteo is failing (HTTP 500)') =>
  () =>
    Promise.reject(new WeatherUpstreamError(kind, 'open-meteo', message));

/** A WeatherService over a FakeProvider and a Map cache, with the fetch events it emits. */
export function createWeatherService(env: Record<string, string> = {}) {
  const provider = new FakeProvider();
  const config = loadConfig({
    WEATHER_TIMEOUT_MS: '200',
    WEATHER_RETRY_AFTER_SECONDS: '1',
    ...env,
  });
  const sut = new WeatherService(
    provider,
    new WeatherCache(mapCache(), noRedis),
    noRedis,
    config,
    new Metrics(),
    new SharedFlight(noRedis),
  );
  const events: WeatherFetchEvent[] = [];
  sut.onFetched((event) => events.push(event));
  return { provider, sut, events };
}
