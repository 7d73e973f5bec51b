import { loadConfig } from '@app/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpstreamCallOptions, UpstreamHttp, UpstreamResponse } from '../upstream-http';
import { WeatherUpstreamError } from '../weather.errors';
import { OpenMeteoProvider } from './open-meteo.provider';
import { OpenWeatherMapProvider } from './openweathermap.provider';

/** Bodies recorded from the real providers (see ../shared/reference/weather-providers.md). */
const recorded = (name: string): unknown =>
  JSON.parse(
    readFileSync(join(__dirname, '../../../../test/fixtures/upstream', `${name}.json`), 'utf8'),
  );

const OPTIONS: UpstreamCallOptions = { waitForBudget: false };
const config = loadConfig({
  OPENWEATHERMAP_BASE_URL: 'http://owm.test',
  OPEN_METEO_BASE_URL: 'http://forecast.test',
  OPEN_METEO_GEOCODING_BASE_URL: 'http://geocoding.test',
  ZIPPOPOTAM_BASE_URL: 'http://zippopotam.test',
  WEATHER_API_KEY: 'k3y-123456',
});

/** UpstreamHttp answering each URL with a recorded reply; keeps what was asked. */
function upstream(replies: Record<string, UpstreamResponse>) {
  const asked: { endpoint: string; url: string; params: Record<string, string | number> }[] = [];
  const http = {
    get: (
      _provider: string,
      endpoint: string,
      url: string,
      params: Record<string, string | number>,
    ) => {
      // The metrics' label: a path or template, never a postcode from the request.
      expect(endpoint).toMatch(/^\//);
      expect(endpoint).not.toMatch(/\d{3,}/);
      asked.push({ endpoint, url, params });
      const reply = replies[url];
      if (!reply) throw new Error(`unexpected request to ${url}`);
      return Promise.resolve(reply);
    },
  } as unknown as UpstreamHttp;
  return { http, asked };
}

const ok = (name: string): UpstreamResponse => ({ status: 200, data: recorded(name) });

describe(OpenWeatherMapProvider.name, () => {
  it('geocodes by postcode and reads the documented current-weather body', async () => {
    const { http, asked } = upstream({
      'http://owm.test/geo/1.0/zip': ok('owm-geo-zip-fr-75001'),
      'http://owm.test/data/2.5/weather': ok('owm-weather-newtonhill'),
    });
    const sut = new OpenWeatherMapProvider(http, config);
    const at = await sut.geocode({ countryCode: 'FR', zip: '75001', city: 'Paris' }, OPTIONS);
    expect(at).toEqual({ latitude: 48.8592, longitude: 2.3417 });
    expect(await sut.current(at, OPTIONS)).toEqual({
      temperature: 8.48,
      feelsLike: 4.9,
      humidity: 79,
      windSpeed: 7.3,
      condition: 'Clouds',
      description: 'overcast clouds',
      observedAt: '2022-03-15T12:30:24.000Z',
    });
    expect(asked.map((request) => request.params)).toEqual([
      { zip: '75001,FR', appid: 'k3y-123456' },
      { lat: 48.8592, lon: 2.3417, units: 'metric', lang: 'en', appid: 'k3y-123456' },
    ]);
  });

  it('joins several conditions (rain and mist at once)', async () => {
    const { http } = upstream({
      'http://owm.test/data/2.5/weather': ok('owm-weather-paris-rain-mist'),
    });
    const reading = await new OpenWeatherMapProvider(http, config).current(
      { latitude: 48.8592, longitude: 2.3417 },
      OPTIONS,
    );
    expect(reading).toMatchObject({ condition: 'Rain', description: 'heavy intensity rain, mist' });
  });

  it('falls back to the city when the postcode is unknown (404)', async () => {
    const { http, asked } = upstream({
      'http://owm.test/geo/1.0/zip': { status: 404, data: recorded('owm-geo-zip-not-found') },
      'http://owm.test/geo/1.0/direct': ok('owm-geo-direct-paris'),
    });
    const at = await new OpenWeatherMapProvider(http, config).geocode(
      { countryCode: 'FR', zip: '75099', city: 'Paris' },
      OPTIONS,
    );
    expect(at).toEqual({ latitude: 48.8588897, longitude: 2.3200410217200766 });
    expect(asked[1].params).toMatchObject({ q: 'Paris,FR', limit: 1 });
  });

  it('says the key was refused, never quoting it', async () => {
    const { http } = upstream({
      'http://owm.test/geo/1.0/zip': { status: 401, data: recorded('owm-error-401') },
    });
    const failure = new OpenWeatherMapProvider(http, config).geocode(
      { countryCode: 'FR', zip: '75001', city: 'Paris' },
      OPTIONS,
    );
    await expect(failure).rejects.toMatchObject({ kind: 'unauthorized' });
    await expect(failure).rejects.not.toThrow(/k3y-123456/);
  });
});

describe(OpenMeteoProvider.name, () => {
  it('geocodes by city, picking the result that lists the postcode, and reads the forecast', async () => {
    const { http, asked } = upstream({
      'http://geocoding.test/v1/search': ok('open-meteo-search-paris'),
      'http://forecast.test/v1/forecast': ok('open-meteo-forecast-paris'),
    });
    const sut = new OpenMeteoProvider(http, config);
    const at = await sut.geocode({ countryCode: 'FR', zip: '75001', city: 'Paris' }, OPTIONS);
    expect(at).toEqual({ latitude: 48.85341, longitude: 2.3488 });
    expect(asked[0].params).toMatchObject({ name: 'Paris', countryCode: 'FR', count: 10 });
    expect(await sut.current(at, OPTIONS)).toEqual({
      temperature: 23.6,
      feelsLike: 21.6,
      humidity: 58,
      windSpeed: 7,
      // WMO code 1 (the service's table: mainly clear counts as Clouds).
      condition: 'Clouds',
      description: 'mainly clear',
      // 15:45 local at UTC+2.
      observedAt: '2026-09-26T13:45:00.000Z',
    });
    expect(asked[1].params).toMatchObject({ wind_speed_unit: 'ms', timezone: 'auto' });
  });

  it('asks Zippopotam for the postcode when the city is not found, reading its string coordinates', async () => {
    const { http, asked } = upstream({
      'http://geocoding.test/v1/search': ok('open-meteo-search-none'),
      'http://zippopotam.test/fr/75001': ok('zippopotam-fr-75001'),
    });
    const at = await new OpenMeteoProvider(http, config).geocode(
      { countryCode: 'FR', zip: '75001', city: 'Pariss' },
      OPTIONS,
    );
    expect(at).toEqual({ latitude: 48.8592, longitude: 2.3417 });
    expect(asked.map((request) => request.url)).toEqual([
      'http://geocoding.test/v1/search',
      'http://zippopotam.test/fr/75001',
    ]);
  });

  it('says an unknown postcode is not found (Zippopotam 404), naming no postcode', async () => {
    const { http } = upstream({
      'http://zippopotam.test/fr/99999': { status: 404, data: {} },
    });
    const failure = new OpenMeteoProvider(http, config).geocode(
      { countryCode: 'FR', zip: '99999', city: null },
      OPTIONS,
    );
    await expect(failure).rejects.toBeInstanceOf(WeatherUpstreamError);
    await expect(failure).rejects.toMatchObject({ kind: 'not_found' });
    await expect(failure).rejects.not.toThrow(/99999/);
  });
});
