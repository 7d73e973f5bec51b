import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { WeatherFake } from '../fakes/weather-fake';
import { createApiApp, importFile } from '../support/api-app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { SAMPLE_CSV } from '../support/paths';

/** Redis configured but gone: lookups still answer, readiness says what is down. */
describe('API with Redis unreachable', () => {
  let db: TestDatabase;
  let fake: WeatherFake;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await WeatherFake.start();
    const config = db.config({ ...fake.env('open-meteo'), REDIS_URL: 'redis://127.0.0.1:1' });
    await importFile(config, SAMPLE_CSV);
    app = await createApiApp(config);
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
    await db?.drop();
  });

  it('still answers a lookup, quickly, with the reason there is no weather', async () => {
    const started = Date.now();
    const res = await request(app.getHttpServer())
      .get('/api/v1/shipments/DHL/TN12345678')
      .expect(200);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.body.trackingNumber).toBe('TN12345678');
    expect(res.body.weather).toBeNull();
    expect(res.body.weatherError).toBe(
      'the weather cache and call budget (Redis) are unavailable, so the provider was not asked',
    );
    // weatherError is public: it names no host or port of ours.
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|redis:\/\//);
    // Once Redis is known to be away, lookups don't wait for it at all.
    const again = Date.now();
    await request(app.getHttpServer()).get('/api/v1/shipments/UPS/TN12345679').expect(200);
    expect(Date.now() - again).toBeLessThan(500);
  });

  it('stays ready while Redis is down (lookups are served), reporting Redis down in the body', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' } },
      error: { redis: { status: 'down' } },
      details: { database: { status: 'up' }, redis: { status: 'down' } },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1/);
  });
});
