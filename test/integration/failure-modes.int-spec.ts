import { FRESHNESS_MS } from '@app/shipments';
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { WeatherFake } from '../fakes/weather-fake';
import { CapturingLogger, createApiApp, importFile } from '../support/api-app';
import { OFFLINE_WEATHER } from '../support/database';
import { MIGRATIONS } from '@app/shipments';
import {
  describeWithOwnServers,
  OwnPostgres,
  OwnRedis,
  startOwnPostgres,
  startOwnRedis,
} from '../support/own-servers';
import { SAMPLE_CSV } from '../support/paths';
import { loadConfig } from '@app/config';
import { DataSource } from 'typeorm';

const CACHE_UNAVAILABLE =
  'the weather cache and call budget (Redis) are unavailable, so the provider was not asked';

/**
 * The dependencies failing for real: a PostgreSQL cluster of the test's own is stopped and its
 * connections killed, a redis-server of its own is frozen with SIGSTOP. The shared servers are
 * never touched.
 */
describeWithOwnServers('Failure modes (own PostgreSQL and Redis)', ['postgres', 'redis'], () => {
  let pg: OwnPostgres;
  let redis: OwnRedis;
  let fake: WeatherFake;
  let app: INestApplication;
  let logger: CapturingLogger;

  beforeAll(async () => {
    [pg, redis, fake] = await Promise.all([
      startOwnPostgres(),
      startOwnRedis(),
      WeatherFake.start(),
    ]);
    const migrate = new DataSource({ type: 'postgres', url: pg.url, migrations: MIGRATIONS });
    await migrate.initialize();
    await migrate.runMigrations().finally(() => migrate.destroy());
    const config = loadConfig({
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      ...OFFLINE_WEATHER,
      ...fake.env('open-meteo'),
    });
    await importFile(config, SAMPLE_CSV);
    logger = new CapturingLogger();
    app = await createApiApp(config, { logger });
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    await fake?.close();
    await pg?.destroy();
  });

  const http = () => request(app.getHttpServer());

  describe('Redis frozen (SIGSTOP)', () => {
    afterEach(() => redis.thaw());

    it('answers every lookup at once with the cache named as the reason, and recovers', async () => {
      expect(
        (await http().get('/api/v1/shipments/DHL/TN12345678').expect(200)).body.weather,
      ).not.toBeNull();
      redis.freeze();
      const started = Date.now();
      const answers = await Promise.all(
        [
          'DHL/TN12345678',
          'UPS/TN12345679',
          'DPD/TN12345680',
          'FedEx/TN12345681',
          'GLS/TN12345682',
        ].map((key) => http().get(`/api/v1/shipments/${key}`)),
      );
      // Bounded commands (250 ms), not the weather timeout (3 s).
      expect(Date.now() - started).toBeLessThan(1500);
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(res.body.weather).toBeNull();
        expect(res.body.weatherError).toBe(CACHE_UNAVAILABLE);
      }
      const later = Date.now();
      await http().get('/api/v1/shipments/DHL/TN12345678').expect(200);
      expect(Date.now() - later).toBeLessThan(200);
      const ready = await http().get('/health/ready').expect(200);
      expect(ready.body.details.redis.status).toBe('down');
      expect(
        logger.at('warn').filter((line) => /did not answer within 250 ms/.test(line)),
      ).toHaveLength(1);

      redis.thaw();
      let weather = null;
      for (let i = 0; i < 30 && !weather; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        weather = (await http().get('/api/v1/shipments/DHL/TN12345678')).body.weather;
      }
      expect(weather).not.toBeNull();
      expect(logger.at('log').some((line) => /Redis answers again/.test(line))).toBe(true);
    });
  });

  describe('PostgreSQL down', () => {
    it('answers 503 problem details with Retry-After, logs once each way, and recovers', async () => {
      await http().get('/api/v1/shipments/DHL/TN12345678').expect(200);
      await pg.stop();
      try {
        // The lookup cache answers from memory only while it has confirmed the shipments'
        // version less than FRESHNESS_MS ago; after that every lookup asks the database.
        const stopped = Date.now();
        while ((await http().get('/api/v1/shipments/DHL/TN12345678')).status === 200)
          expect(Date.now() - stopped).toBeLessThan(FRESHNESS_MS);
        for (let i = 0; i < 20; i++) {
          const res = await http().get('/api/v1/shipments/DHL/TN12345678');
          expect(res.status).toBe(503);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(res.headers['retry-after']).toBe('5');
          expect(res.body).toMatchObject({
            type: 'urn:problem:database-unavailable',
            status: 503,
          });
          expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|postgres:/);
        }
        const ready = await http().get('/health/ready').expect(503);
        expect(ready.body.checks.database.status).toBe('down');
        expect(logger.at('error')).toEqual([]);
        expect(
          logger.at('warn').filter((line) => /PostgreSQL .* is unavailable/.test(line)),
        ).toHaveLength(1);
      } finally {
        await pg.start();
      }
      await http().get('/api/v1/shipments/DHL/TN12345678').expect(200);
      await http().get('/health/ready').expect(200);
      expect(
        logger.at('log').filter((line) => /PostgreSQL .* is available again/.test(line)),
      ).toHaveLength(1);
    });

    it('never answers 500 when the server terminates every connection', async () => {
      const admin = new Client({ connectionString: pg.url });
      await admin.connect();
      try {
        for (let round = 0; round < 3; round++) {
          await http().get('/api/v1/shipments/UPS/TN12345679').expect(200);
          await admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'shipment-tracking'`,
          );
          const res = await http().get('/api/v1/shipments/UPS/TN12345679');
          expect([200, 503]).toContain(res.status);
        }
        await http().get('/api/v1/shipments/UPS/TN12345679').expect(200);
      } finally {
        await admin.end();
      }
      expect(logger.at('error')).toEqual([]);
    });
  });

  describe('Redis stopped', () => {
    it('says so in one warning however many lookups meet it (a lookup used to log up to four)', async () => {
      await http().get('/api/v1/shipments/DHL/TN12345678').expect(200);
      const before = logger.at('warn').length;
      await redis.stop();
      for (const key of ['DHL/TN12345678', 'UPS/TN12345679', 'DPD/TN12345680', 'GLS/TN12345682']) {
        const res = await http().get(`/api/v1/shipments/${key}`).expect(200);
        expect(res.body.weatherError).toBe(CACHE_UNAVAILABLE);
      }
      const warnings = logger.at('warn').slice(before);
      expect(warnings).toEqual([
        expect.stringMatching(/^Redis at 127\.0\.0\.1:\d+ is not reachable/),
      ]);
      expect(logger.at('error')).toEqual([]);
    });
  });
});
