import { AppConfig } from '@app/config';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PLACES, WeatherFake } from '../fakes/weather-fake';
import { createApiApp, importFile } from './api-app';
import { createTestDatabase, TestDatabase } from './database';
import { fixture } from './paths';

export const paris = PLACES.find((place) => place.zip === '75001')!;

export const lookup = (app: INestApplication, carrier: string, trackingNumber: string) =>
  request(app.getHttpServer()).get(`/api/v1/shipments/${carrier}/${trackingNumber}`);

/** What a weather spec works with; set in beforeAll. */
export interface WeatherBed {
  db: TestDatabase;
  fake: WeatherFake;
  config: AppConfig;
  /** The variables every app of the spec starts with (the fake's URLs, short timeouts). */
  env: Record<string, string>;
  /** Starts an API app in this process (its own in-process cache unless REDIS_URL is given). */
  start(env?: Record<string, string>): Promise<INestApplication>;
}

/**
 * The weather specs' common ground: one database with weather-shipments.csv imported, a loopback
 * provider fake (reset before each case), and API apps on it, all closed after the file.
 */
export function useWeatherBed(): WeatherBed {
  const apps: INestApplication[] = [];
  const bed = {
    start: async (env: Record<string, string> = {}): Promise<INestApplication> => {
      const app = await createApiApp(bed.db.config({ ...bed.env, ...env }));
      apps.push(app);
      return app;
    },
  } as WeatherBed;

  beforeAll(async () => {
    bed.db = await createTestDatabase();
    bed.fake = await WeatherFake.start();
    bed.env = {
      ...bed.fake.env('open-meteo'),
      WEATHER_TIMEOUT_MS: '400',
      WEATHER_RETRY_AFTER_SECONDS: '1',
    };
    bed.config = bed.db.config(bed.env);
    await importFile(bed.config, fixture('weather-shipments.csv'));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await bed.fake?.close();
    await bed.db?.drop();
  });
  beforeEach(() => bed.fake.reset());
  return bed;
}
