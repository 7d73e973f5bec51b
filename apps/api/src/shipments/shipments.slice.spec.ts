import { expectProblem, KEY, useApiSlice } from '../../../../test/support/api-slice';

/** Every 4xx and problem-details case of the shipments endpoints, without a database (test/support/api-slice.ts). */
describe('Shipments API slice (fake services)', () => {
  const { http } = useApiSlice();
  /** The same API with no API_KEYS: operator access disabled. */
  const noKeys = useApiSlice({});

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
        noKeys.http().get('/api/v1/shipments/DHL/TN1').set('X-API-Key', KEY),
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
        noKeys.http().get('/api/v1/shipments').set('X-API-Key', KEY),
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
});
