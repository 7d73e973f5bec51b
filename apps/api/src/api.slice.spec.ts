import { AppConfigModule, loadConfig } from '@app/config';
import { DatabaseUnavailableError } from '@app/infra';
import {
  LocationWeatherService,
  ShipmentLookup,
  ShipmentNotFoundError,
  ShipmentRecord,
  ShipmentsService,
  ZipMismatchError,
} from '@app/shipments';
import { WeatherOutcome } from '@app/weather';
import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { recordResponses } from '../../../test/support/contract';
import { ApiKeysService } from './auth/api-keys.service';
import { configureApp } from './configure-app';
import { HealthController } from './health/health.controller';
import { RedisHealthIndicator } from './health/redis.health';
import { createHttpAdapter } from './http-adapter';
import { createOpenApiDocument } from './openapi';
import { ShipmentsController } from './shipments/shipments.controller';
import { WeatherController } from './weather/weather.controller';

const KEY = 'operator-key-123456';
const place = (zip: string) => ({
  line: `Dam 1, ${zip} Amsterdam, Netherlands`,
  zip,
  city: 'Amsterdam',
  country: 'Netherlands',
  countryCode: 'NL',
});
const SHIPMENT: ShipmentRecord = {
  carrier: 'DHL',
  trackingNumber: 'TN1',
  status: 'in_transit',
  carrierStatus: 'in-transit',
  sender: place('1016 AB'),
  receiver: place('1012 JS'),
  articles: [{ sku: 'A1', name: 'Lamp', quantity: 1, price: '9.50' }],
  updatedAt: new Date('2026-11-25T19:00:00.000Z'),
  receiverLocation: null,
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
const health = { database: 'up' as 'up' | 'down' };

/**
 * Controller slice: the real controllers, validation pipe, problem-details filter, HTTP adapter
 * and OpenAPI document, over hand-written fakes of the services. Every 4xx and problem-details
 * case lives here; the database tier keeps what is about SQL. Every response is checked
 * against the document (the contract test).
 */
describe('API slice (controllers, pipe, filter, OpenAPI; fake services)', () => {
  let app: INestApplication;
  let noKeys: INestApplication;

  const create = async (env: Record<string, string>): Promise<INestApplication> => {
    const module = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(loadConfig(env))],
      controllers: [ShipmentsController, WeatherController, HealthController],
      providers: [
        ApiKeysService,
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
      ],
    }).compile();
    const nest = module.createNestApplication<NestFastifyApplication>(createHttpAdapter(), {
      logger: false,
    });
    configureApp(nest);
    recordResponses(nest.getHttpAdapter().getInstance(), createOpenApiDocument(nest));
    await nest.init();
    await nest.getHttpAdapter().getInstance().ready();
    return nest;
  };

  beforeAll(async () => {
    app = await create({ API_KEYS: KEY });
    noKeys = await create({});
  });
  afterAll(async () => {
    await app?.close();
    await noKeys?.close();
  });

  const http = () => request(app.getHttpServer());
  const expectProblem = async (
    answer: Promise<request.Response> | request.Test,
    status: number,
    type: string,
    detail: RegExp,
  ): Promise<request.Response> => {
    const res = await answer;
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type, title: expect.any(String), status });
    expect(res.body.detail).toMatch(detail);
    return res;
  };

  describe('GET /api/v1/shipments/:carrier/:trackingNumber', () => {
    it.each([
      [
        'a tracking number over 64 characters',
        `/DHL/${'A'.repeat(65)}`,
        'trackingNumber',
        /at most 64/,
      ],
      [
        'a tracking number of 500 characters',
        `/DHL/${'A'.repeat(500)}`,
        'trackingNumber',
        /at most 64/,
      ],
      ['a carrier over 64 characters', `/${'C'.repeat(65)}/TN1`, 'carrier', /at most 64/],
      ['a control character', '/DHL/TN%0A1', 'trackingNumber', /control characters/],
      ['a blank carrier', '/%20%20/TN1', 'carrier', /blank/],
      ['a zero-width space', '/DHL/TN%E2%80%8B1', 'trackingNumber', /invisible characters/],
      ['a word joiner in the carrier', '/D%E2%81%A0HL/TN1', 'carrier', /invisible characters/],
      ['a zip over 16 characters', `/DHL/TN1?zip=${'1'.repeat(17)}`, 'zip', /at most 16/],
    ])('answers 400 with the field for %s', async (_, path, field, message) => {
      const res = await expectProblem(
        http().get(`/api/v1/shipments${path}`),
        400,
        'urn:problem:validation',
        message,
      );
      expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
    });

    it('answers 400, not 500, for a malformed percent-encoding', async () => {
      await expectProblem(
        http().get('/api/v1/shipments/DHL/%E0%A4%A'),
        400,
        'about:blank',
        /is not a valid url component/,
      );
    });

    it('answers 414 for a path parameter over 1,000 characters, without echoing it', async () => {
      const res = await expectProblem(
        http().get(`/api/v1/shipments/DHL/${'X'.repeat(1100)}`),
        414,
        'urn:problem:uri-too-long',
        /over 1000 characters/,
      );
      expect(res.body.detail).not.toMatch(/XXXX/);
    });

    it('answers 401 for a wrong operator key, and when operator access is disabled', async () => {
      await expectProblem(
        http().get('/api/v1/shipments/DHL/TN1').set('X-API-Key', 'nope'),
        401,
        'urn:problem:unauthorized',
        /not a valid API key/,
      );
      await expectProblem(
        request(noKeys.getHttpServer()).get('/api/v1/shipments/DHL/TN1').set('X-API-Key', KEY),
        401,
        'urn:problem:unauthorized',
        /disabled/,
      );
    });

    it('answers 403 for a wrong zip, saying how to see the shipment anyway', async () => {
      await expectProblem(
        http().get('/api/v1/shipments/DHL/TN1?zip=9999ZZ'),
        403,
        'urn:problem:zip-mismatch',
        /leave out zip/,
      );
    });

    it('answers 404 naming the shipment', async () => {
      await expectProblem(
        http().get('/api/v1/shipments/DHL/TN0'),
        404,
        'urn:problem:shipment-not-found',
        /No shipment with carrier "DHL" and tracking number "TN0"/,
      );
    });

    it('answers 503 with Retry-After when the database is away, naming no server', async () => {
      const res = await expectProblem(
        http().get('/api/v1/shipments/DHL/DOWN'),
        503,
        'urn:problem:database-unavailable',
        /try again in 5 seconds/,
      );
      expect(res.headers['retry-after']).toBe('5');
      expect(JSON.stringify(res.body)).not.toMatch(/db\.internal|5432|ECONNREFUSED/);
    });

    it('answers 500 with a generic detail for a bug, telling nothing of it', async () => {
      const res = await expectProblem(
        http().get('/api/v1/shipments/DHL/BUG'),
        500,
        'urn:problem:internal-error',
        /^An unexpected error occurred; it has been logged\.$/,
      );
      expect(JSON.stringify(res.body)).not.toMatch(/10\.0\.0\.7|stack/);
    });

    it('answers the public view without a zip, the full one with it', async () => {
      const publicView = await http().get('/api/v1/shipments/DHL/TN1').expect(200);
      expect(publicView.body.receiver).toEqual({
        city: 'Amsterdam',
        country: 'Netherlands',
        countryCode: 'NL',
      });
      const full = await http().get('/api/v1/shipments/DHL/TN1?zip=1012%20JS').expect(200);
      expect(full.body.receiver).toMatchObject({
        zip: '1012 JS',
        address: 'Dam 1, 1012 JS Amsterdam, Netherlands',
      });
    });
  });

  describe('GET /api/v1/shipments', () => {
    it.each(['0x10', '1e1', '0b1', ' 2', '2.0', '+3', '-1', '0', 'abc', '99999999999999999999'])(
      'answers 400 for page=%j: only decimal digits from 1 are a page number',
      async (page) => {
        const res = await http().get('/api/v1/shipments').set('X-API-Key', KEY).query({ page });
        expect(res.status).toBe(400);
        expect(res.body.errors[0].field).toBe('page');
      },
    );

    it.each([
      ['limit=0', 'limit'],
      ['limit=1.5', 'limit'],
      ['status=lost', 'status'],
    ])('answers 400 for %s', async (query, field) => {
      const res = await http().get(`/api/v1/shipments?${query}`).set('X-API-Key', KEY);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 401 without a key, and saying it is disabled when API_KEYS is unset', async () => {
      await expectProblem(
        http().get('/api/v1/shipments'),
        401,
        'urn:problem:unauthorized',
        /X-API-Key/,
      );
      await expectProblem(
        request(noKeys.getHttpServer()).get('/api/v1/shipments').set('X-API-Key', KEY),
        401,
        'urn:problem:unauthorized',
        /disabled/,
      );
    });

    it('caps the limit at 100 instead of refusing it', async () => {
      const res = await http().get('/api/v1/shipments?limit=500').set('X-API-Key', KEY).expect(200);
      expect(res.body).toMatchObject({ limit: 100, total: 1 });
    });
  });

  describe('GET /api/v1/weather', () => {
    it.each(['constructor', '__proto__', 'CONSTRUCTOR', 'toString', 'hasOwnProperty', 'Atlantis'])(
      'answers 400 for country=%s, not 500',
      async (country) => {
        await expectProblem(
          http().get('/api/v1/weather').query({ zip: '75001', country }),
          400,
          'urn:problem:validation',
          /country must be an ISO 3166-1 alpha-2 code or a country name/,
        );
      },
    );

    it('answers 404 for a postcode the provider does not know, 503 while it fails', async () => {
      await expectProblem(
        http().get('/api/v1/weather').query({ zip: '99999', country: 'FR' }),
        404,
        'urn:problem:postcode-not-found',
        /does not know this postcode/,
      );
      const res = await expectProblem(
        http().get('/api/v1/weather').query({ zip: '75001', country: 'FR' }),
        503,
        'urn:problem:weather-unavailable',
        /did not answer/,
      );
      expect(res.headers['retry-after']).toBe('5');
    });
  });

  describe('health', () => {
    afterEach(() => (health.database = 'up'));

    it('answers readiness 503 as problem details with the checks, naming no server', async () => {
      health.database = 'down';
      const res = await expectProblem(
        http().get('/health/ready'),
        503,
        'urn:problem:not-ready',
        /^Not ready: database not answering$/,
      );
      expect(res.body.checks).toEqual({ database: { status: 'down', message: 'not answering' } });
      await http().get('/health').expect(200);
    });
  });

  describe('the OpenAPI document', () => {
    it('documents what a typed client and a response validator need (OpenAPI 3.1)', async () => {
      const doc = (await http().get('/api/docs-json').expect(200)).body;
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.tags.map((tag: { name: string }) => tag.name)).toEqual([
        'shipments',
        'weather',
        'health',
      ]);
      expect(doc.servers).toEqual([{ url: '/', description: 'This server' }]);
      type Response = { description: string; content: Record<string, { examples: object }> };
      type Operation = { operationId: string; responses: Record<string, Response> };
      const operations = Object.values(
        doc.paths as Record<string, Record<string, Operation>>,
      ).flatMap((item) => Object.values(item));
      expect(operations.map((operation) => operation.operationId).sort()).toEqual([
        'getLiveness',
        'getReadiness',
        'getWeather',
        'listShipments',
        'lookupShipment',
      ]);
      // Every error response: one example per problem type, with its real type and status.
      for (const operation of operations) {
        for (const [status, response] of Object.entries(operation.responses)) {
          expect(response.description).toBeTruthy();
          if (Number(status) < 400) continue;
          const examples = Object.values(
            response.content['application/problem+json'].examples as Record<
              string,
              { value: { type: string; status: number } }
            >,
          );
          expect(examples.length).toBeGreaterThan(0);
          for (const { value } of examples) {
            expect(value.type).toMatch(/^urn:problem:[a-z-]+$/);
            expect(value.status).toBe(Number(status));
          }
        }
      }
      const lookup = doc.paths['/api/v1/shipments/{carrier}/{trackingNumber}'].get;
      // The operator key is the security scheme (Swagger UI's Authorize), optional here.
      expect(lookup.security).toEqual(expect.arrayContaining([{}, { 'api-key': [] }]));
      expect(lookup.parameters.map((parameter: { name: string }) => parameter.name)).not.toContain(
        'X-API-Key',
      );
      expect(lookup.responses['414']).toBeDefined();
      // "Try it out" fills no zip that would unlock the street lines.
      const zip = lookup.parameters.find((parameter: { name: string }) => parameter.name === 'zip');
      expect(zip.example ?? zip.schema.example ?? zip.schema.default).toBeUndefined();
      const schemas = doc.components.schemas;
      expect(schemas.PublicShipmentResponseDto.properties.weather.oneOf).toEqual([
        { $ref: '#/components/schemas/PublicWeatherReportDto' },
        { type: 'null' },
      ]);
      expect(schemas.ShipmentDto.properties.updatedAt.format).toBe('date-time');
      expect(schemas.ArticleDto.properties.quantity.type).toBe('integer');
      const limit = doc.paths['/api/v1/shipments'].get.parameters.find(
        (parameter: { name: string }) => parameter.name === 'limit',
      );
      expect(limit.schema.maximum).toBeUndefined(); // above 100 is capped, not refused
    });

    it('documents every error response as problem details in the OpenAPI document', async () => {
      const doc = (await http().get('/api/docs-json').expect(200)).body;
      expect(doc.openapi).toMatch(/^3\./);
      const lookup = doc.paths['/api/v1/shipments/{carrier}/{trackingNumber}'].get;
      for (const status of ['400', '401', '403', '404', '500']) {
        expect(lookup.responses[status].content['application/problem+json'].schema.$ref).toBe(
          '#/components/schemas/ProblemDetailsDto',
        );
      }
      const list = doc.paths['/api/v1/shipments'].get;
      expect(Object.keys(list.responses)).toEqual(
        expect.arrayContaining(['200', '400', '401', '500']),
      );
      // One status enum, referenced wherever a status appears.
      expect(doc.components.schemas.CanonicalStatus.enum).toContain('out_for_delivery');
      expect(doc.components.schemas.PublicShipmentResponseDto.properties.status.allOf).toEqual([
        { $ref: '#/components/schemas/CanonicalStatus' },
      ]);
      // Two documented views: the public one has no postcode or street line anywhere.
      const publicView = doc.components.schemas.PublicShipmentResponseDto;
      const publicLocation = doc.components.schemas.PublicLocationDto;
      expect(Object.keys(publicLocation.properties).sort()).toEqual([
        'city',
        'country',
        'countryCode',
      ]);
      expect(
        publicView.properties.sender.$ref ?? publicView.properties.sender.allOf?.[0].$ref,
      ).toBe('#/components/schemas/PublicLocationDto');
      expect(Object.keys(doc.components.schemas.PublicWeatherLocationDto.properties)).toEqual([
        'countryCode',
      ]);
      expect(doc.components.schemas.FullLocationDto.properties).toHaveProperty('address');
      expect(doc.components.schemas.FullLocationDto.properties).toHaveProperty('zip');
      expect(lookup.responses['200'].content['application/json'].schema.oneOf).toEqual([
        { $ref: '#/components/schemas/PublicShipmentResponseDto' },
        { $ref: '#/components/schemas/FullShipmentResponseDto' },
      ]);
      expect(
        lookup.parameters.find((p: { name: string }) => p.name === 'zip').example,
      ).toBeUndefined();
      expect(doc.components.securitySchemes['api-key']).toMatchObject({
        type: 'apiKey',
        in: 'header',
      });
      await http().get('/api/docs').expect(200).expect('content-type', /html/);
    });
  });

  it('answers unknown routes with problem details', async () => {
    await expectProblem(http().get('/api/v2/nothing'), 404, 'about:blank', /Cannot GET/);
  });
});

function okHealth() {
  return { status: 'ok' as const, info: {}, error: {}, details: {} };
}
