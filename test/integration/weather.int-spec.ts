import { AppConfig } from '@app/config';
import { createClient } from '@keyv/redis';
import { WeatherRefreshService } from '@app/shipments';
import { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { kelvinAt, PLACES, WeatherFake } from '../fakes/weather-fake';
import { createApiApp, importFile } from '../support/api-app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { fixture } from '../support/paths';
import { freshRedisUrl, itWithRedis } from '../support/redis';

const paris = PLACES.find((place) => place.zip === '75001')!;
const lookup = (app: INestApplication, carrier: string, trackingNumber: string) =>
  request(app.getHttpServer()).get(`/api/v1/shipments/${carrier}/${trackingNumber}`);

/**
 * The weather in the lookup against loopback provider fakes. Each case starts its own app, so
 * without Redis each has a cold in-process cache; only what needs Redis itself (a cache shared
 * by two processes, one refresh across instances, its health and key names) is gated on it.
 */
describe('Weather in the lookup (loopback provider fakes)', () => {
  let db: TestDatabase;
  let fake: WeatherFake;
  let config: AppConfig;
  const apps: INestApplication[] = [];
  const start = async (env: Record<string, string> = {}): Promise<INestApplication> => {
    const app = await createApiApp(db.config({ ...baseEnv, ...env }));
    apps.push(app);
    return app;
  };
  let baseEnv: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await WeatherFake.start();
    baseEnv = {
      ...fake.env('open-meteo'),
      WEATHER_TIMEOUT_MS: '400',
      WEATHER_RETRY_AFTER_SECONDS: '1',
    };
    config = db.config(baseEnv);
    await importFile(config, fixture('weather-shipments.csv'));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await fake?.close();
    await db?.drop();
  });

  beforeEach(() => fake.reset());

  it('adds the normalised weather at the receiver, then serves it from the cache without calling again', async () => {
    const app = await start();
    const first = await lookup(app, 'DHL', 'TN900').expect(200);
    expect(first.body.weatherError).toBeNull();
    expect(first.body.weather).toEqual({
      temperature: Math.round((kelvinAt(paris.lat, paris.lon) - 273.15) * 100) / 100,
      feelsLike: expect.any(Number),
      humidity: 58,
      windSpeed: expect.any(Number),
      condition: 'Clouds',
      description: 'overcast',
      observedAt: '2026-11-25T17:45:00.000Z',
      fetchedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      provider: 'open-meteo',
      stale: false,
      // The public view: the country only, never the receiver's postcode.
      location: { countryCode: 'FR' },
    });
    const calls = fake.requests.length;
    // Same location, other shipment: no further upstream call.
    await lookup(app, 'DHL', 'TN901').expect(200);
    await lookup(app, 'dhl', 'tn900').expect(200);
    expect(fake.requests.length).toBe(calls);
    // Only postcode, city and country left the service; units as the reference says.
    const search = fake.requests.find((r) => r.path === '/v1/search')!;
    expect(search.query).toMatchObject({ name: 'Paris', countryCode: 'FR', count: '10' });
    const forecast = fake.requests.find((r) => r.path === '/v1/forecast')!;
    expect(forecast.query).toMatchObject({ wind_speed_unit: 'ms', timezone: 'auto' });
    expect(JSON.stringify(fake.requests)).not.toMatch(/Street|Rue/);
  });

  itWithRedis(
    'writes every Redis key under its prefix (shipments:), so it can share a Redis',
    async () => {
      const url = await freshRedisUrl();
      await lookup(await start({ REDIS_URL: url }), 'DHL', 'TN900').expect(200);
      const redis = createClient({ url });
      await redis.connect();
      try {
        const keys = await redis.keys('*');
        expect(keys).toEqual(expect.arrayContaining(['shipments:weather:v1:reading:FR:75001']));
        expect(keys.filter((key) => !key.startsWith('shipments:'))).toEqual([]);
      } finally {
        await redis.close();
      }
    },
  );

  it('keeps the geocoded coordinates on the location for good', async () => {
    const app = await start();
    await lookup(app, 'DHL', 'TN900').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [row] = await app
      .get(DataSource)
      .query(
        `SELECT latitude, longitude, weather_provider, weather_fetched_at FROM locations WHERE zip = '75001'`,
      );
    expect(row).toMatchObject({
      latitude: paris.lat,
      longitude: paris.lon,
      weather_provider: 'open-meteo',
    });
    expect(row.weather_fetched_at).not.toBeNull();
  });

  it('makes exactly one upstream weather call for 40 concurrent lookups of a cold location', async () => {
    const app = await start();
    fake.latencyMs = 100;
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => lookup(app, 'UPS', 'TN902')),
    );
    expect(
      responses.every(
        (res) => res.status === 200 && res.body.weather?.location.countryCode === 'BE',
      ),
    ).toBe(true);
    expect(fake.weatherCalls).toBe(1);
  });

  itWithRedis('finds the cache warm from a new API process (Redis shared)', async () => {
    const url = await freshRedisUrl();
    const first = await start({ REDIS_URL: url });
    await lookup(first, 'DHL', 'TN900').expect(200);
    fake.reset();
    const second = await start({ REDIS_URL: url });
    const res = await lookup(second, 'DHL', 'TN900').expect(200);
    expect(res.body.weather.location).toEqual({ countryCode: 'FR' });
    expect(fake.requests).toHaveLength(0);
  });

  it('answers with weather null and a reason while the provider fails, and serves it again once it is back', async () => {
    const app = await start();
    fake.failAll(500);
    const failing = await lookup(app, 'DPD', 'TN903').expect(200);
    expect(failing.body.weather).toBeNull();
    expect(failing.body.weatherError).toMatch(/^open-meteo is failing \(HTTP 500\)/);
    fake.recover();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // WEATHER_RETRY_AFTER_SECONDS
    const back = await lookup(app, 'DPD', 'TN903').expect(200);
    expect(back.body.weather).toMatchObject({
      location: { countryCode: 'ES' },
      stale: false,
    });
    expect(back.body.weatherError).toBeNull();
  });

  it('answers in time when the provider is slow', async () => {
    const app = await start();
    fake.latencyMs = 3000;
    const started = Date.now();
    const res = await lookup(app, 'FedEx', 'TN904').expect(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.body.weather).toBeNull();
    expect(res.body.weatherError).toBe('open-meteo did not answer within 400 ms');
  });

  it('says why when the address has no location or the postcode is unknown', async () => {
    const app = await start();
    const noLocation = await lookup(app, 'DHL', 'TN907').expect(200);
    expect(noLocation.body).toMatchObject({
      weather: null,
      weatherError: expect.stringMatching(/no recognisable postcode/),
    });
    const unknown = await lookup(app, 'DHL', 'TN908').expect(200);
    expect(unknown.body).toMatchObject({
      weather: null,
      weatherError: 'open-meteo does not know this postcode in FR',
    });
    // The public view: the receiver's postcode appears nowhere, not even in the reason.
    expect(JSON.stringify(unknown.body)).not.toContain('99999');
  });

  it('serves the last good reading marked stale when the provider fails after it expired', async () => {
    const app = await start({ WEATHER_CACHE_TTL_SECONDS: '1' });
    await lookup(app, 'GLS', 'TN905').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    fake.failAll(503);
    const res = await lookup(app, 'GLS', 'TN905').expect(200);
    expect(res.body.weather).toMatchObject({
      stale: true,
      location: { countryCode: 'DK' },
    });
  });

  it('says when the call budget is used up', async () => {
    const app = await start({
      WEATHER_MAX_CALLS_PER_MINUTE: '1',
    });
    // Known coordinates, so each lookup needs exactly one call.
    for (const place of PLACES.filter((p) => p.zip === '1000' || p.zip === '28013')) {
      await app
        .get(DataSource)
        .query('UPDATE locations SET latitude = $1, longitude = $2 WHERE zip = $3', [
          place.lat,
          place.lon,
          place.zip,
        ]);
    }
    expect((await lookup(app, 'UPS', 'TN902').expect(200)).body.weather).not.toBeNull();
    const res = await lookup(app, 'DPD', 'TN903').expect(200);
    expect(res.body.weather).toBeNull();
    expect(res.body.weatherError).toBe(
      'the weather call budget (1 per minute) is used up; try again within a minute',
    );
    expect(fake.weatherCalls).toBe(1);
  });

  describe('refresh', () => {
    it('makes exactly one call per distinct non-delivered location and leaves them all warm', async () => {
      const app = await start();
      const summary = await app.get(WeatherRefreshService).refreshActiveReceivers();
      // Paris (2 shipments), Brussels, Madrid, Amsterdam, Copenhagen, 99999 FR; Berlin is delivered.
      expect(summary).toMatchObject({ skipped: false, locations: 6, refreshed: 5, failed: 1 });
      expect(fake.weatherCalls).toBe(5);
      fake.reset();
      for (const [carrier, tn] of [
        ['DHL', 'TN900'],
        ['UPS', 'TN902'],
        ['DPD', 'TN903'],
        ['FedEx', 'TN904'],
        ['GLS', 'TN905'],
      ]) {
        expect((await lookup(app, carrier, tn).expect(200)).body.weather.stale).toBe(false);
      }
      expect(fake.requests).toHaveLength(0);
    });

    it('warms locations that never had a reading, once', async () => {
      const app = await start();
      await app
        .get(DataSource)
        .query('UPDATE locations SET weather_fetched_at = NULL, weather_attempted_at = NULL');
      await app
        .get(DataSource)
        .query(`UPDATE locations SET weather_fetched_at = now() WHERE zip = '75001'`);
      const first = await app.get(WeatherRefreshService).warmNewLocations();
      // Brussels, Madrid, Amsterdam, Copenhagen, and 99999 FR (which fails); Paris had a reading.
      expect(first).toMatchObject({ locations: 5, refreshed: 4, failed: 1 });
      await new Promise((resolve) => setTimeout(resolve, 100)); // fetch records are written async
      expect(await app.get(WeatherRefreshService).warmNewLocations()).toMatchObject({
        locations: 0,
      });
    });

    it('schedules the refresh from WEATHER_REFRESH_CRON', async () => {
      const app = await createApiApp(
        db.config({ ...baseEnv, WEATHER_REFRESH_CRON: '*/5 * * * *' }),
        { jobs: true },
      );
      try {
        const job = app.get(SchedulerRegistry).getCronJob('weather-refresh');
        expect(job.cronTime.source).toBe('*/5 * * * *');
        expect(app.get(SchedulerRegistry).getIntervals()).toContain('weather-warm-up');
      } finally {
        await app.close();
      }
    });

    itWithRedis('runs one cycle when two refreshes start at once on two instances', async () => {
      const redisUrl = await freshRedisUrl();
      const [a, b] = [await start({ REDIS_URL: redisUrl }), await start({ REDIS_URL: redisUrl })];
      fake.latencyMs = 50;
      const summaries = await Promise.all(
        [a, b].map((app) => app.get(WeatherRefreshService).refreshActiveReceivers()),
      );
      expect(summaries.map((summary) => summary.skipped).sort()).toEqual([false, true]);
      expect(fake.weatherCalls).toBe(5);
    });
  });

  describe('GET /api/v1/weather', () => {
    it('answers the reading for a postcode and country code or name', async () => {
      const app = await start();
      const res = await request(app.getHttpServer())
        .get('/api/v1/weather?zip=75001&country=FR')
        .expect(200);
      expect(res.body).toMatchObject({
        provider: 'open-meteo',
        location: { zip: '75001', countryCode: 'FR' },
      });
      await request(app.getHttpServer())
        .get('/api/v1/weather?zip=1000&country=Belgium')
        .expect(200);
    });

    it.each([
      ['zip=75001', 'country'],
      ['country=FR', 'zip'],
      ['zip=75001&country=Atlantis', 'country'],
      [`zip=${'1'.repeat(17)}&country=FR`, 'zip'],
    ])('answers 400 for %s', async (query, field) => {
      const app = await start();
      const res = await request(app.getHttpServer()).get(`/api/v1/weather?${query}`).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 404 for a postcode the provider does not know, 503 while it fails', async () => {
      const app = await start();
      const missing = await request(app.getHttpServer())
        .get('/api/v1/weather?zip=12345&country=DE')
        .expect(404);
      expect(missing.headers['content-type']).toMatch(/problem\+json/);
      expect(missing.body.detail).toBe('open-meteo does not know this postcode in DE');
      fake.failAll(500);
      await request(app.getHttpServer()).get('/api/v1/weather?zip=20144&country=DE').expect(503);
    });
  });

  describe('with OpenWeatherMap', () => {
    it('geocodes with /geo/1.0/zip, asks by coordinates in metric units, and joins several conditions', async () => {
      const app = await start({ ...fake.env('openweathermap') });
      await app.get(DataSource).query('UPDATE locations SET latitude = NULL, longitude = NULL'); // geocode anew
      const res = await lookup(app, 'DHL', 'TN900').expect(200);
      expect(res.body.weather).toMatchObject({
        provider: 'openweathermap',
        condition: 'Rain',
        description: 'heavy intensity rain, mist',
        humidity: 79,
        observedAt: new Date(1764096000 * 1000).toISOString(),
      });
      expect(fake.requests.map((r) => r.path)).toEqual(['/geo/1.0/zip', '/data/2.5/weather']);
      expect(fake.requests[0].query.zip).toBe('75001,FR');
      expect(fake.requests[1].query).toMatchObject({
        lat: String(paris.lat),
        lon: String(paris.lon),
        units: 'metric',
      });
    });

    it('says the key is refused without ever showing it', async () => {
      const app = await start({
        ...fake.env('openweathermap'),
        WEATHER_API_KEY: 'wrong-key-123456',
      });
      const res = await lookup(app, 'UPS', 'TN902').expect(200);
      expect(res.body.weatherError).toBe(
        'openweathermap refused the API key (HTTP 401); check WEATHER_API_KEY',
      );
      expect(JSON.stringify(res.body)).not.toContain('wrong-key');
    });
  });

  itWithRedis('reports Redis in /health/ready', async () => {
    const app = await start({ REDIS_URL: await freshRedisUrl() });
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });
});
