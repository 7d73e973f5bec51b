import { INestApplication } from '@nestjs/common';
import { ShipmentsRepository } from '@app/shipments';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { CapturingLogger, createApiApp } from '../support/api-app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { ROOT } from '../support/paths';

const KEY = 'operator-key-0123456789';

describe('Shipments API', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let noKeysApp: INestApplication;
  const startupLog = new CapturingLogger();

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApiApp(db.config({ API_KEYS: `other-key-1,${KEY}` }));
    noKeysApp = await createApiApp(db.config(), { logger: startupLog });
    const repository = app.get(ShipmentsRepository);
    await repository.upsertMany([
      {
        carrier: 'DHL',
        trackingNumber: 'TN12345678',
        carrierStatus: 'in-transit',
        sender: {
          line: 'Street 1, 10115 Berlin, Germany',
          zip: '10115',
          city: 'Berlin',
          country: 'Germany',
          countryCode: 'DE',
        },
        receiver: {
          line: 'Dam 1, 1012 JS Amsterdam, The Netherlands',
          zip: '1012 JS',
          city: 'Amsterdam',
          country: 'Netherlands',
          countryCode: 'NL',
        },
        articles: [
          { sku: 'LP123', name: 'Laptop', quantity: 1, price: '800' },
          { sku: 'MO456', name: 'Mouse', quantity: 2, price: '25.50' },
        ],
      },
      {
        carrier: 'UPS',
        trackingNumber: 'TN2',
        carrierStatus: 'teleported',
        sender: { line: 'nowhere', zip: null, city: null, country: null, countryCode: null },
        receiver: {
          line: 'nowhere either',
          zip: null,
          city: null,
          country: null,
          countryCode: null,
        },
        articles: [{ sku: 'A', name: 'A', quantity: 1, price: '0' }],
      },
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await noKeysApp?.close();
    await db?.drop();
  });

  const http = () => request(app.getHttpServer());
  const expectProblem = (res: request.Response, status: number, detail: RegExp) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
    expect(res.body.detail).toMatch(detail);
  };

  describe('GET /api/v1/shipments/:carrier/:trackingNumber', () => {
    it('returns the shipment with parsed locations and no street lines', async () => {
      const res = await http().get('/api/v1/shipments/DHL/TN12345678').expect(200);
      expect(res.body).toEqual({
        trackingNumber: 'TN12345678',
        carrier: 'DHL',
        status: 'in_transit',
        carrierStatus: 'in-transit',
        sender: { city: 'Berlin', country: 'Germany', countryCode: 'DE' },
        receiver: { city: 'Amsterdam', country: 'Netherlands', countryCode: 'NL' },
        articles: [
          { sku: 'LP123', name: 'Laptop', quantity: 1, price: 800 },
          { sku: 'MO456', name: 'Mouse', quantity: 2, price: 25.5 },
        ],
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        // The providers point at a closed port here: the lookup still answers, saying why.
        weather: null,
        weatherError: 'open-meteo could not be reached (ECONNREFUSED)',
      });
    });

    it('matches carrier and tracking number ignoring case and surrounding whitespace', async () => {
      const res = await http().get('/api/v1/shipments/%20dhl%20/tn12345678%20').expect(200);
      expect(res.body.trackingNumber).toBe('TN12345678');
    });

    it.each(['1012 JS', '1012js', ' 1012 js '])(
      'adds the full addresses with the receiver zip %j',
      async (zip) => {
        const res = await http().get('/api/v1/shipments/DHL/TN12345678').query({ zip }).expect(200);
        expect(res.body.sender).toEqual({
          zip: '10115',
          city: 'Berlin',
          country: 'Germany',
          countryCode: 'DE',
          address: 'Street 1, 10115 Berlin, Germany',
        });
        expect(res.body.receiver.address).toBe('Dam 1, 1012 JS Amsterdam, The Netherlands');
        expect(res.body.receiver.zip).toBe('1012 JS');
      },
    );

    it('adds the full addresses for an operator key', async () => {
      const res = await http()
        .get('/api/v1/shipments/DHL/TN12345678')
        .set('X-API-Key', KEY)
        .expect(200);
      expect(res.body.receiver.address).toBe('Dam 1, 1012 JS Amsterdam, The Netherlands');
    });

    it('answers 403 for a zip that is not the receiver postcode', async () => {
      expectProblem(
        await http().get('/api/v1/shipments/DHL/TN12345678?zip=10115'),
        403,
        /does not match/,
      );
    });

    it('answers 403 for any zip when the receiver postcode is unknown', async () => {
      expectProblem(await http().get('/api/v1/shipments/UPS/TN2?zip=x'), 403, /does not match/);
    });

    it('maps an unknown raw status to unknown and keeps unparsed locations null', async () => {
      const res = await http().get('/api/v1/shipments/UPS/TN2').expect(200);
      expect(res.body).toMatchObject({
        status: 'unknown',
        carrierStatus: 'teleported',
        sender: { city: null, country: null, countryCode: null },
      });
    });

    it('answers 401 for a wrong operator key', async () => {
      expectProblem(
        await http().get('/api/v1/shipments/DHL/TN12345678').set('X-API-Key', 'nope'),
        401,
        /not a valid API key/,
      );
    });

    it('answers 404 as problem details for an unknown shipment', async () => {
      expectProblem(
        await http().get('/api/v1/shipments/DHL/TN00000000'),
        404,
        /No shipment with carrier "DHL" and tracking number "TN00000000"/,
      );
    });

    it.each([
      [
        'a tracking number over 64 characters',
        `/api/v1/shipments/DHL/${'A'.repeat(65)}`,
        'trackingNumber',
        /at most 64/,
      ],
      [
        'a tracking number of 500 characters',
        `/api/v1/shipments/DHL/${'A'.repeat(500)}`,
        'trackingNumber',
        /at most 64/,
      ],
      [
        'a carrier over 64 characters',
        `/api/v1/shipments/${'C'.repeat(65)}/TN1`,
        'carrier',
        /at most 64/,
      ],
      [
        'a control character',
        '/api/v1/shipments/DHL/TN%0A1',
        'trackingNumber',
        /control characters/,
      ],
      ['a blank carrier', '/api/v1/shipments/%20%20/TN1', 'carrier', /blank/],
      [
        'a zero-width space',
        '/api/v1/shipments/DHL/TN%E2%80%8B1',
        'trackingNumber',
        /must not contain invisible characters/,
      ],
      [
        'a word joiner in the carrier',
        '/api/v1/shipments/D%E2%81%A0HL/TN1',
        'carrier',
        /must not contain invisible characters/,
      ],
      [
        'a zip over 16 characters',
        `/api/v1/shipments/DHL/TN1?zip=${'1'.repeat(17)}`,
        'zip',
        /at most 16/,
      ],
    ])('answers 400 with the field for %s', async (_, url, field, message) => {
      const res = await http().get(url);
      expectProblem(res, 400, message);
      expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
    });

    it('answers 400, not 500, for a malformed percent-encoding', async () => {
      // Fastify rejects it before Nest routes it; its framework error hook answers problem details.
      expectProblem(
        await http().get('/api/v1/shipments/DHL/%E0%A4%A'),
        400,
        /is not a valid url component/,
      );
    });
  });

  describe('GET /api/v1/weather with a country that is no country', () => {
    it.each(['constructor', '__proto__', 'CONSTRUCTOR', 'toString', 'hasOwnProperty'])(
      'answers 400 for country=%s, not 500',
      async (country) => {
        const res = await http().get('/api/v1/weather').query({ zip: '75001', country });
        expectProblem(res, 400, /country must be an ISO 3166-1 alpha-2 code or a country name/);
      },
    );
  });

  describe('GET /api/v1/shipments', () => {
    it.each(['0x10', '1e1', '0b1', ' 2', '2.0', '+3', '-1'])(
      'answers 400 for page=%j: only decimal digits are a page number',
      async (page) => {
        const res = await http().get('/api/v1/shipments').set('X-API-Key', KEY).query({ page });
        expect(res.status).toBe(400);
        expect(res.body.errors[0].field).toBe('page');
      },
    );

    it('answers 401 without a key', async () => {
      expectProblem(await http().get('/api/v1/shipments'), 401, /X-API-Key/);
    });

    it('answers 401 saying it is disabled when API_KEYS is unset', async () => {
      const res = await request(noKeysApp.getHttpServer())
        .get('/api/v1/shipments')
        .set('X-API-Key', KEY);
      expectProblem(res, 401, /disabled/);
    });

    it('lists shipments with full addresses for an operator', async () => {
      const res = await http().get('/api/v1/shipments').set('X-API-Key', KEY).expect(200);
      expect(res.body).toMatchObject({ total: 2, page: 1, limit: 20 });
      expect(res.body.items[0].receiver.address).toBe('Dam 1, 1012 JS Amsterdam, The Netherlands');
    });

    it('filters by carrier and status, and caps the limit at 100', async () => {
      const res = await http()
        .get('/api/v1/shipments?carrier=dhl&status=in_transit&limit=500')
        .set('X-API-Key', KEY)
        .expect(200);
      expect(res.body).toMatchObject({
        total: 1,
        limit: 100,
        items: [{ trackingNumber: 'TN12345678' }],
      });
      const page2 = await http()
        .get('/api/v1/shipments?limit=1&page=2')
        .set('X-API-Key', KEY)
        .expect(200);
      expect(page2.body).toMatchObject({
        total: 2,
        page: 2,
        limit: 1,
        items: [{ trackingNumber: 'TN2' }],
      });
    });

    it.each([
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['limit=0', 'limit'],
      ['limit=1.5', 'limit'],
      ['status=lost', 'status'],
      ['page=99999999999999999999', 'page'],
    ])('answers 400 for %s', async (query, field) => {
      const res = await http().get(`/api/v1/shipments?${query}`).set('X-API-Key', KEY);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('health and docs', () => {
    it('answers /health and /health/ready', async () => {
      await http().get('/health').expect(200);
      const ready = await http().get('/health/ready').expect(200);
      expect(ready.body.details.database.status).toBe('up');
    });

    it('lists the true routes in the start-up log', () => {
      const routes = startupLog.at('log').filter((line) => /Controller \{/.test(line));
      expect(routes).toEqual([
        'ShipmentsController {/api/v1/shipments}:',
        'WeatherController {/api/v1/weather}:',
        'HealthController {/health}:',
      ]);
    });

    it('answers unknown routes with problem details', async () => {
      expectProblem(await http().get('/api/v2/nothing'), 404, /Cannot GET/);
    });

    it('passes `redocly lint` with the recommended rules, without errors', async () => {
      const doc = (await http().get('/api/docs-json').expect(200)).body;
      const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
      try {
        const file = join(dir, 'openapi.json');
        await writeFile(file, JSON.stringify(doc));
        const lint = await new Promise<{ totals: { errors: number }; problems: unknown[] }>(
          (resolve, reject) =>
            execFile(
              join(ROOT, 'node_modules/.bin/redocly'),
              ['lint', file, '--extends', 'recommended', '--format', 'json'],
              {
                env: {
                  ...process.env,
                  REDOCLY_TELEMETRY: 'off',
                  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
                },
              },
              // Exit status 1 means errors were found: the report says which.
              (error, stdout) => {
                try {
                  resolve(JSON.parse(stdout));
                } catch {
                  reject(error ?? new Error(`redocly printed no report: ${stdout}`));
                }
              },
            ),
        );
        const errors = lint.problems.filter(
          (problem) => (problem as { severity: string }).severity === 'error',
        );
        expect(errors).toEqual([]);
        expect(lint.totals.errors).toBe(0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 60_000);

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
});
