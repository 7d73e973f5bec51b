import { WeatherRefreshService } from '@app/shipments';
import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApiApp } from '../support/api-app';
import { freshRedisUrl, itWithRedis } from '../support/redis';
import { lookup, paris, useWeatherBed } from '../support/weather-bed';

/** The refresh and the warm-up, GET /api/v1/weather, OpenWeatherMap, and Redis in readiness. */
describe('Weather refresh and the weather endpoint (loopback provider fakes)', () => {
  const bed = useWeatherBed();

  describe('refresh', () => {
    it('makes exactly one call per distinct non-delivered location and leaves them all warm', async () => {
      const app = await bed.start();
      const summary = await app.get(WeatherRefreshService).refreshActiveReceivers();
      // Paris (2 shipments), Brussels, Madrid, Amsterdam, Copenhagen, 99999 FR; Berlin is delivered.
      expect(summary).toMatchObject({ skipped: false, locations: 6, refreshed: 5, failed: 1 });
      expect(bed.fake.weatherCalls).toBe(5);
      bed.fake.reset();
      for (const [carrier, tn] of [
        ['DHL', 'TN900'],
        ['UPS', 'TN902'],
        ['DPD', 'TN903'],
        ['FedEx', 'TN904'],
        ['GLS', 'TN905'],
      ]) {
        expect((await lookup(app, carrier, tn).expect(200)).body.weather.stale).toBe(false);
      }
      expect(bed.fake.requests).toHaveLength(0);
    });

    it('warms locations that never had a reading, once', async () => {
      const app = await bed.start();
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
        bed.db.config({ ...bed.env, WEATHER_REFRESH_CRON: '*/5 * * * *' }),
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
      const [a, b] = [
        await bed.start({ REDIS_URL: redisUrl }),
        await bed.start({ REDIS_URL: redisUrl }),
      ];
      bed.fake.latencyMs = 50;
      const summaries = await Promise.all(
        [a, b].map((app) => app.get(WeatherRefreshService).refreshActiveReceivers()),
      );
      expect(summaries.map((summary) => summary.skipped).sort()).toEqual([false, true]);
      expect(bed.fake.weatherCalls).toBe(5);
    });
  });

  describe('GET /api/v1/weather', () => {
    it('answers the reading for a postcode and country code or name', async () => {
      const app = await bed.start();
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
      const app = await bed.start();
      const res = await request(app.getHttpServer()).get(`/api/v1/weather?${query}`).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 404 for a postcode the provider does not know, 503 while it fails', async () => {
      const app = await bed.start();
      const missing = await request(app.getHttpServer())
        .get('/api/v1/weather?zip=12345&country=DE')
        .expect(404);
      expect(missing.headers['content-type']).toMatch(/problem\+json/);
      expect(missing.body.detail).toBe('open-meteo does not know this postcode in DE');
      bed.fake.failAll(500);
      await request(app.getHttpServer()).get('/api/v1/weather?zip=20144&country=DE').expect(503);
    });
  });

  describe('with OpenWeatherMap', () => {
    it('geocodes with /geo/1.0/zip, asks by coordinates in metric units, and joins several conditions', async () => {
      const app = await bed.start({ ...bed.fake.env('openweathermap') });
      await app.get(DataSource).query('UPDATE locations SET latitude = NULL, longitude = NULL'); // geocode anew
      const res = await lookup(app, 'DHL', 'TN900').expect(200);
      expect(res.body.weather).toMatchObject({
        provider: 'openweathermap',
        condition: 'Rain',
        description: 'heavy intensity rain, mist',
        humidity: 79,
        observedAt: new Date(1764096000 * 1000).toISOString(),
      });
      expect(bed.fake.requests.map((r) => r.path)).toEqual(['/geo/1.0/zip', '/data/2.5/weather']);
      expect(bed.fake.requests[0].query.zip).toBe('75001,FR');
      expect(bed.fake.requests[1].query).toMatchObject({
        lat: String(paris.lat),
        lon: String(paris.lon),
        units: 'metric',
      });
    });

    it('says the key is refused without ever showing it', async () => {
      const app = await bed.start({
        ...bed.fake.env('openweathermap'),
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
    const app = await bed.start({ REDIS_URL: await freshRedisUrl() });
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });
});
