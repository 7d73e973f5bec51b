import { AppConfig, AppConfigModule, loadConfig } from '@app/config';
import { DatabaseUnavailableError, MetricsModule, ReadReplicas } from '@app/infra';
import {
  LocationWeatherService,
  ShipmentLookup,
  ShipmentNotFoundError,
  ShipmentWithHistory,
  ShipmentsService,
  ZipAttemptsExceededError,
  ZipMismatchError,
} from '@app/shipments';
import { WeatherOutcome } from '@app/weather';
import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { recordResponses } from './contract';

export { expectProblem } from './expect-problem';
import { ApiKeysService } from '../../apps/api/src/auth/api-keys.service';
import { configureApp } from '../../apps/api/src/configure-app';
import { HealthController } from '../../apps/api/src/health/health.controller';
import { ShutdownState } from '../../apps/api/src/health/shutdown-state';
import { RedisHealthIndicator } from '../../apps/api/src/health/redis.health';
import { createHttpAdapter } from '../../apps/api/src/http-adapter';
import { createOpenApiDocument } from '../../apps/api/src/openapi';
import { ShipmentsController } from '../../apps/api/src/shipments/shipments.controller';
import { TrackController } from '../../apps/api/src/track/track.controller';
import { TrackPageService } from '../../apps/api/src/track/track-page.service';
import { WeatherController } from '../../apps/api/src/weather/weather.controller';
import { RateLimitModule } from '../../apps/api/src/rate-limit/rate-limit.module';

export const KEY = 'operator-key-123456';
const place = (zip: string) => ({
  line: `Dam 1, ${zip} Amsterdam, Netherlands`,
  zip,
  city: 'Amsterdam',
  country: 'Netherlands',
  countryCode: 'NL',
});
const SHIPMENT: ShipmentWithHistory = {
  carrier: 'DHL',
  trackingNumber: 'TN1',
  status: 'in_transit',
  carrierStatus: 'in-transit',
  sender: place('1016 AB'),
  receiver: place('1012 JS'),
  articles: [{ sku: 'A1', name: 'Lamp', quantity: 1, price: '9.50' }],
  updatedAt: new Date('2026-11-25T19:00:00.000Z'),
  statusSince: new Date('2026-11-25T08:30:00.000Z'),
  receiverLocation: null,
  events: [
    { status: 'in_transit', carrierStatus: 'in-transit', at: new Date('2026-11-25T08:30:00.000Z') },
  ],
};
const NO_WEATHER: WeatherOutcome = { report: null, error: 'no location', failure: 'no_location' };

/** The lookup's and the weather's answers by tracking number / postcode: each problem on cue. */
const shipments = {
  lookup: (
    carrier: string,
    trackingNumber: string,
    access: { operator: boolean; zip?: string },
  ) => {
    if (trackingNumber === 'DOWN')
      return Promise.reject(
        new DatabaseUnavailableError('db.internal:5432/x', new Error('ECONNREFUSED')),
      );
    if (trackingNumber === 'BUG') return Promise.reject(new Error('bug at 10.0.0.7'));
    if (trackingNumber !== 'TN1')
      return Promise.reject(new ShipmentNotFoundError(carrier.trim(), trackingNumber.trim()));
    if (access.zip === 'LOCKED') return Promise.reject(new ZipAttemptsExceededError('client', 540));
    if (access.zip !== undefined && access.zip !== '1012 JS' && !access.operator)
      return Promise.reject(new ZipMismatchError());
    const found: ShipmentLookup = {
      shipment: SHIPMENT,
      revealAddresses: access.operator || access.zip !== undefined,
      weather: NO_WEATHER,
    };
    return Promise.resolve(found);
  },
  list: () => Promise.resolve({ items: [SHIPMENT], total: 1 }),
};
const locationWeather = {
  forPostcode: (zip: string, countryCode: string) =>
    Promise.resolve({
      location: { countryCode, zip },
      report: null,
      ...(zip === '99999'
        ? { error: 'open-meteo does not know this postcode in FR', failure: 'not_found' }
        : { error: 'open-meteo did not answer within 3000 ms', failure: 'timeout' }),
    }),
};
/** What the fake readiness check answers for the database. */
export const health = { database: 'up' as 'up' | 'down' };

/**
 * Controller slice: the real controllers, validation pipe, problem-details filter, HTTP adapter
 * and OpenAPI document, over hand-written fakes of the services (each problem on cue). Its
 * responses are checked against the document (the contract test).
 */
export async function createApiSlice(env: Record<string, string>): Promise<INestApplication> {
  const module = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(loadConfig(env)), MetricsModule, RateLimitModule],
    controllers: [ShipmentsController, WeatherController, HealthController, TrackController],
    providers: [
      ApiKeysService,
      TrackPageService,
      { provide: ShipmentsService, useValue: shipments },
      { provide: LocationWeatherService, useValue: locationWeather },
      { provide: HealthCheckService, useValue: { check: () => Promise.resolve(okHealth()) } },
      {
        provide: TypeOrmHealthIndicator,
        useValue: {
          pingCheck: (key: string) =>
            Promise.resolve({
              [key]: { status: health.database, message: 'connect ECONNREFUSED 10.0.0.9' },
            }),
        },
      },
      { provide: RedisHealthIndicator, useValue: { enabled: false } },
      ShutdownState,
      { provide: ReadReplicas, useValue: { states: () => [] } },
    ],
  }).compile();
  const config = module.get(AppConfig);
  const nest = module.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), {
    logger: false,
  });
  await configureApp(nest, config);
  recordResponses(nest.getHttpAdapter().getInstance(), createOpenApiDocument(nest));
  await nest.init();
  await nest.getHttpAdapter().getInstance().ready();
  return nest;
}

function okHealth() {
  return { status: 'ok' as const, info: {}, error: {}, details: {} };
}

/**
 * A slice for a spec file: started before its cases, closed after them. `http()` asks it;
 * `env` defaults to one operator key (KEY).
 */
export function useApiSlice(env: Record<string, string> = { API_KEYS: KEY }) {
  let app: INestApplication | undefined;
  beforeAll(async () => {
    app = await createApiSlice(env);
  });
  afterAll(async () => {
    await app?.close();
  });
  return { http: () => request(app!.getHttpServer()), app: () => app! };
}
