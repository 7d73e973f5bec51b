import { INestApplication } from '@nestjs/common';
import { ShipmentsRepository } from '@app/shipments';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { CapturingLogger, createApiApp } from '../support/api-app';
import { expectProblem } from '../support/expect-problem';
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
        statusSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        events: [
          {
            status: 'in_transit',
            carrierStatus: 'in-transit',
            at: expect.stringMatching(/^\d{4}-/),
          },
        ],
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
      await expectProblem(
        http().get('/api/v1/shipments/DHL/TN12345678?zip=10115'),
        403,
        'urn:problem:zip-mismatch',
        /does not match/,
      );
    });

    it('answers 403 for any zip when the receiver postcode is unknown', async () => {
      await expectProblem(
        http().get('/api/v1/shipments/UPS/TN2?zip=x'),
        403,
        'urn:problem:zip-mismatch',
        /does not match/,
      );
    });

    it('maps an unknown raw status to unknown and keeps unparsed locations null', async () => {
      const res = await http().get('/api/v1/shipments/UPS/TN2').expect(200);
      expect(res.body).toMatchObject({
        status: 'unknown',
        carrierStatus: 'teleported',
        sender: { city: null, country: null, countryCode: null },
      });
    });

    it('answers 404 as problem details for an unknown shipment', async () => {
      await expectProblem(
        http().get('/api/v1/shipments/DHL/TN00000000'),
        404,
        'urn:problem:shipment-not-found',
        /No shipment with carrier "DHL" and tracking number "TN00000000"/,
      );
    });
  });

  describe('GET /api/v1/shipments', () => {
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

    it('lists only what changed since updatedSince, and says what is wrong with a bad one', async () => {
      const since = (value: string) =>
        http().get('/api/v1/shipments').query({ updatedSince: value }).set('X-API-Key', KEY);
      const all = await since('2000-01-01').expect(200);
      expect(all.body.total).toBe(2);
      expect(all.body.items[0].statusSince).toMatch(/^\d{4}-\d\d-\d\dT/);
      const newest = all.body.items
        .map((item: { updatedAt: string }) => item.updatedAt)
        .sort()
        .pop();
      const later = new Date(Date.parse(newest) + 1).toISOString();
      expect((await since(later).expect(200)).body).toMatchObject({ total: 0, items: [] });
      expect((await since(newest).expect(200)).body.total).toBeGreaterThanOrEqual(1);
      const bad = await since('30.11.2026').expect(400);
      expect(bad.body.errors).toEqual([
        {
          field: 'updatedSince',
          message: expect.stringMatching(/^updatedSince is not an ISO 8601 date-time \(e\.g\. /),
        },
      ]);
      await since('2026-02-30').expect(400);
      // Without a zone it is UTC.
      expect((await since(later.replace('Z', '')).expect(200)).body.total).toBe(0);
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
        'TrackController {/track}:',
        'MetricsController {/metrics}:',
        'HealthController {/health}:',
      ]);
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
  });
});
