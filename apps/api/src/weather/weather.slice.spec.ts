import { expectProblem, health, useApiSlice } from '../../../../test/support/api-slice';
import { ShutdownState } from '../health/shutdown-state';

/** The weather endpoint's problems, readiness as problem details, unknown routes. */
describe('Weather, health and routing slice (fake services)', () => {
  const { http, app } = useApiSlice();

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

    // Last in this slice: the state stays set.
    it('answers readiness 503 shutting-down once the instance has been told to stop', async () => {
      app().get(ShutdownState).begin();
      await expectProblem(
        http().get('/health/ready'),
        503,
        'urn:problem:shutting-down',
        /^This instance is shutting down/,
      );
      await http().get('/health').expect(200);
    });
  });

  it('answers unknown routes with problem details', async () => {
    await expectProblem(
      http().get('/api/v2/nothing'),
      404,
      'about:blank',
      /No endpoint has this path/,
    );
  });

  it('answers a known path asked with another method 405 with Allow', async () => {
    const response = await expectProblem(
      http().delete('/api/v1/weather'),
      405,
      'urn:problem:method-not-allowed',
      /DELETE is not allowed here; this path answers GET, HEAD/,
    );
    expect(response.headers.allow).toBe('GET, HEAD');
  });
});
