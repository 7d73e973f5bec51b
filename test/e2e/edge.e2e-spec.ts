import { request as httpRequest } from 'node:http';
import { WeatherFake } from '../fakes/weather-fake';
import { createTestDatabase, OFFLINE_WEATHER, TestDatabase } from '../support/database';
import { fixture } from '../support/paths';
import { freshRedisUrl, describeWithRedis } from '../support/redis';
import { RunningApi, runCli, startApi } from '../support/processes';

const KEY = 'edge-operator-key-0001';
const METRICS_TOKEN = 'edge-metrics-token-0123456789';
/** TN900's receiver is in 75001 Paris. */
const LOOKUP = '/api/v1/shipments/DHL/TN900';
const RIGHT_ZIP = '75001';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, so the test sees the bytes and headers as sent (fetch decompresses, adds headers). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

function json(response: RawResponse): Record<string, unknown> {
  return JSON.parse(response.body.toString()) as Record<string, unknown>;
}

/** Every stdout/stderr line of the process, each of which must be a JSON object. */
function jsonLines(api: RunningApi): Record<string, unknown>[] {
  return api
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

/** Waits until the process has written a line matching `pattern` (logs are asynchronous). */
async function waitForOutput(api: RunningApi, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 100 && !pattern.test(api.output()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('The public edge (built API): headers, caching, CORS, errors, logs, metrics', () => {
  let db: TestDatabase;
  let fake: WeatherFake;
  let env: Record<string, string>;
  let api: RunningApi;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    fake = await WeatherFake.start();
    // A password in the URL (trust authentication ignores it) that must never reach a log line.
    const url = new URL(db.url);
    url.password = 'pg-password-never-logged';
    env = {
      DATABASE_URL: url.toString(),
      ...OFFLINE_WEATHER,
      ...fake.env('openweathermap'),
      API_KEYS: KEY,
      METRICS_TOKEN,
      CORS_ORIGINS: 'https://shop.example, https://other.example',
      WEATHER_TIMEOUT_MS: '2000',
    };
    expect((await runCli(['import', fixture('weather-shipments.csv')], env)).code).toBe(0);
    api = await startApi(env);
  });
  afterAll(async () => {
    await api?.stop();
    await fake.close();
    await db.drop();
  });

  it('sends an X-Request-Id (the caller one when acceptable), security headers, and no X-Powered-By', async () => {
    const mine = await raw(`${api.url}${LOOKUP}`, { headers: { 'X-Request-Id': 'shop-42.a' } });
    expect(mine.headers['x-request-id']).toBe('shop-42.a');
    const tooLong = await raw(`${api.url}${LOOKUP}`, {
      headers: { 'X-Request-Id': 'x'.repeat(65) },
    });
    expect(tooLong.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    expect(mine.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(mine.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(mine.headers['x-powered-by']).toBeUndefined();
    // Swagger UI still loads under that policy: its scripts are files of this origin.
    const docs = await raw(`${api.url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(docs.body.toString()).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it('caches the public view publicly, a full view never, with an ETag and 304', async () => {
    const open = await raw(`${api.url}${LOOKUP}`);
    expect(open.headers['cache-control']).toBe('public, max-age=60');
    expect(open.headers.vary).toMatch(/X-API-Key/);
    const etag = open.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await raw(`${api.url}${LOOKUP}`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    const listed = await raw(`${api.url}${LOOKUP}`, {
      headers: { 'If-None-Match': `"other", ${etag.slice(2)}` },
    });
    expect(listed.status).toBe(304);

    const byZip = await raw(`${api.url}${LOOKUP}?zip=${RIGHT_ZIP}`);
    expect(byZip.status).toBe(200);
    expect(byZip.headers['cache-control']).toBe('private, no-store');
    const byKey = await raw(`${api.url}${LOOKUP}`, { headers: { 'X-API-Key': KEY } });
    expect(byKey.headers['cache-control']).toBe('private, no-store');
    expect(byKey.headers.etag).not.toBe(etag);

    const weather = await raw(`${api.url}/api/v1/weather?zip=75001&country=FR`);
    expect(weather.status).toBe(200);
    expect(weather.headers['cache-control']).toBe('public, max-age=60');
    const weatherAgain = await raw(`${api.url}/api/v1/weather?zip=75001&country=FR`, {
      headers: { 'If-None-Match': weather.headers.etag as string },
    });
    expect(weatherAgain.status).toBe(304);
    // An error is never "not modified".
    const missing = await raw(`${api.url}/api/v1/shipments/DHL/NOPE`, {
      headers: { 'If-None-Match': '*' },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).toBe('no-store');
  });

  it('compresses bodies over 1 KB for clients that accept gzip or br', async () => {
    for (const encoding of ['gzip', 'br']) {
      const big = await raw(`${api.url}/api/docs-json`, {
        headers: { 'Accept-Encoding': encoding },
      });
      expect(big.headers['content-encoding']).toBe(encoding);
    }
    const plain = await raw(`${api.url}/api/docs-json`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const small = await raw(`${api.url}${LOOKUP}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('answers a CORS preflight from an allowed origin with 204, GET and the two headers', async () => {
    const preflight = await raw(`${api.url}${LOOKUP}`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://shop.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'x-api-key, x-request-id',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(preflight.headers['access-control-allow-methods']).toBe('GET');
    expect(preflight.headers['access-control-allow-headers']).toBe('X-API-Key, X-Request-Id');
    const simple = await raw(`${api.url}${LOOKUP}`, {
      headers: { Origin: 'https://other.example' },
    });
    expect(simple.headers['access-control-allow-origin']).toBe('https://other.example');
    expect(simple.headers['access-control-expose-headers']).toMatch(/RateLimit-Remaining/);
    expect(simple.headers.vary).toMatch(/Origin.*X-API-Key/);
    const stranger = await raw(`${api.url}${LOOKUP}`, {
      headers: { Origin: 'https://evil.example' },
    });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 405 with Allow, and 414, 413, 431 as problem details with the request id', async () => {
    const wrongMethod = await raw(`${api.url}${LOOKUP}`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD');
    expect(json(wrongMethod)).toMatchObject({
      type: 'urn:problem:method-not-allowed',
      status: 405,
    });
    expect(json(wrongMethod).requestId).toBe(wrongMethod.headers['x-request-id']);

    const longPath = await raw(`${api.url}/api/v1/shipments/DHL/${'X'.repeat(10_000)}`);
    expect(longPath.status).toBe(414);
    expect(longPath.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(longPath.body.length).toBeLessThan(1024);

    const body = await raw(`${api.url}${LOOKUP}`, {
      headers: { 'Content-Length': String(1024 * 1024) },
    });
    expect(body.status).toBe(413);
    expect(json(body).type).toBe('urn:problem:payload-too-large');

    const headers = await raw(`${api.url}${LOOKUP}`, { headers: { 'X-Big': 'a'.repeat(20_000) } });
    expect(headers.status).toBe(431);
    expect(headers.headers['content-type']).toBe('application/problem+json');
    expect(json(headers)).toMatchObject({ type: 'urn:problem:headers-too-large', status: 431 });
    expect(json(headers).requestId).toBe(headers.headers['x-request-id']);
  });

  it('serves Prometheus metrics behind METRICS_TOKEN, with the traffic so far', async () => {
    fake.reset();
    await raw(`${api.url}/api/v1/shipments/UPS/TN902`); // a cold location: fetched upstream
    await raw(`${api.url}/api/v1/shipments/UPS/TN902`); // then fresh from the cache
    expect((await raw(`${api.url}/metrics`)).status).toBe(401);
    const wrong = await raw(`${api.url}/metrics`, { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Bearer/);
    const scrape = await raw(`${api.url}/metrics`, {
      headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain/);
    const text = scrape.body.toString();
    for (const name of [
      'http_request_duration_seconds',
      'weather_lookups_total',
      'weather_upstream_requests_total',
      'weather_call_budget_remaining',
      'weather_circuit_open',
      'weather_refresh_runs_total',
      'weather_refresh_duration_seconds',
      'rate_limited_requests_total',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/shipments\/:carrier\/:trackingNumber",status_code="200"\} \d+$/m,
    );
    expect(text).toMatch(/^weather_lookups_total\{outcome="fetched"\} [1-9]/m);
    expect(text).toMatch(/^weather_lookups_total\{outcome="fresh"\} [1-9]/m);
    expect(text).toMatch(
      /^weather_upstream_requests_total\{provider="openweathermap",endpoint="\/data\/2\.5\/weather",outcome="ok"\} [1-9]/m,
    );
    const remaining = /^weather_call_budget_remaining (\d+)$/m.exec(text);
    expect(Number(remaining?.[1])).toBeLessThan(60);
    expect(text).toMatch(/^weather_circuit_open 0$/m);
    // No tracking number, no path, no zip in any label.
    expect(text).not.toMatch(/TN90\d|75001/);
  });

  it('logs JSON lines, one access line per request with its id, and no secret at all', async () => {
    const id = 'edge-log-check-1';
    await raw(`${api.url}${LOOKUP}?zip=${RIGHT_ZIP}`, { headers: { 'X-Request-Id': id } });
    await raw(`${api.url}${LOOKUP}?zip=ZZ-9Q9Q-wrong`, { headers: { 'X-API-Key': KEY } });
    await raw(`${api.url}${LOOKUP}`, { headers: { 'X-API-Key': 'a-wrong-key-never-logged' } });
    await waitForOutput(api, new RegExp(`"requestId":"${id}"`));
    const lines = jsonLines(api);
    const access = lines.filter((line) => line.requestId === id);
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/api/v1/shipments/:carrier/:trackingNumber',
      status: 200,
      responseTime: expect.any(Number),
    });
    expect(lines.some((line) => line.msg === 'Shipment tracking API is up')).toBe(true);
    const all = api.output();
    for (const secret of [
      KEY,
      'a-wrong-key-never-logged',
      env.WEATHER_API_KEY,
      'appid=',
      'pg-password-never-logged',
      METRICS_TOKEN,
      'ZZ-9Q9Q',
      `zip=${RIGHT_ZIP}`,
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('A single instance without Redis (built API): its own rate limit, logs for people', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('limits a single instance on its own', async () => {
    const api = await startApi({
      DATABASE_URL: db.url,
      ...OFFLINE_WEATHER,
      RATE_LIMIT_PER_MINUTE: '2',
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await raw(`${api.url}/api/v1/weather?zip=1&country=FR`)).status);
      expect(statuses.slice(2)).toEqual([429]);
      expect(statuses.slice(0, 2)).not.toContain(429);
    } finally {
      await api.stop();
    }
  });

  it('prints readable lines with LOG_FORMAT=pretty, and no access lines at LOG_LEVEL=warn', async () => {
    const pretty = await startApi({
      DATABASE_URL: db.url,
      ...OFFLINE_WEATHER,
      LOG_FORMAT: 'pretty',
    });
    try {
      await raw(`${pretty.url}/health`, { headers: { 'X-Request-Id': 'pretty-1' } });
      await waitForOutput(pretty, /request completed/);
      expect(pretty.output()).toMatch(
        /INFO.*\[NestApplication\] Nest application successfully started/,
      );
      expect(pretty.output()).toMatch(/Swagger UI {2}http:\/\/localhost:\d+\/api\/docs/);
      expect(pretty.output()).not.toMatch(/^\{"level"/m);
    } finally {
      await pretty.stop();
    }
    const quiet = await startApi({ DATABASE_URL: db.url, ...OFFLINE_WEATHER, LOG_LEVEL: 'warn' });
    try {
      await raw(`${quiet.url}/health`);
      // Longer than the log's flush interval (1 s), so a buffered access line would be out.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(quiet.output()).not.toMatch(/request completed/);
    } finally {
      await quiet.stop();
    }
  });
});

describeWithRedis('Rate limits and the zip lock-out, shared by two instances through Redis', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const apis: RunningApi[] = [];
  const start = async (extra: Record<string, string>): Promise<[RunningApi, RunningApi]> => {
    const both = await Promise.all([
      startApi({ ...env, ...extra }),
      startApi({ ...env, ...extra }),
    ]);
    apis.push(...both);
    return both;
  };

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    env = { DATABASE_URL: db.url, ...OFFLINE_WEATHER, API_KEYS: KEY };
    expect((await runCli(['import', fixture('weather-shipments.csv')], env)).code).toBe(0);
  });
  beforeEach(async () => {
    env.REDIS_URL = await freshRedisUrl();
  });
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((api) => api.stop()));
  });
  afterAll(() => db.drop());

  it('counts one budget per client across both instances, and answers 429 past it', async () => {
    const [a, b] = await start({ RATE_LIMIT_PER_MINUTE: '4' });
    const answers: RawResponse[] = [];
    for (const api of [a, b, a, b]) answers.push(await raw(`${api.url}${LOOKUP}`));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((answer) => answer.headers['ratelimit-remaining'])).toEqual([
      '3',
      '2',
      '1',
      '0',
    ]);
    expect(answers[0].headers['ratelimit-limit']).toBe('4');
    expect(Number(answers[0].headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(Number(answers[0].headers['ratelimit-reset'])).toBeLessThanOrEqual(60);

    const refused = await raw(`${b.url}/api/v1/weather?zip=75001&country=FR`);
    expect(refused.status).toBe(429);
    expect(json(refused)).toMatchObject({ type: 'urn:problem:rate-limited', status: 429 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit-remaining']).toBe('0');

    // Operators, health and metrics are not limited.
    expect((await raw(`${a.url}${LOOKUP}`, { headers: { 'X-API-Key': KEY } })).status).toBe(200);
    expect((await raw(`${a.url}/health`)).status).toBe(200);
    const metrics = await raw(`${b.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body.toString()).toMatch(
      /^rate_limited_requests_total\{reason="rate_limit"\} 1$/m,
    );
  });

  it('takes the client from X-Forwarded-For only behind TRUST_PROXY', async () => {
    const [trusting] = await start({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1' });
    const from = (client: string) =>
      raw(`${trusting.url}${LOOKUP}`, { headers: { 'X-Forwarded-For': client } }).then(
        (answer) => answer.status,
      );
    expect([
      await from('203.0.113.1'),
      await from('203.0.113.1'),
      await from('203.0.113.1'),
    ]).toEqual([200, 200, 429]);
    expect(await from('203.0.113.2')).toBe(200);
  });

  it('locks the zip gate for a client after ZIP_ATTEMPTS_PER_CLIENT wrong zips, the right one too', async () => {
    const [a, b] = await start({ ZIP_ATTEMPTS_PER_CLIENT: '3' });
    const statuses: number[] = [];
    for (const [api, zip] of [
      [a, '11111'],
      [b, '22222'],
      [a, '33333'],
    ] as const) {
      statuses.push((await raw(`${api.url}${LOOKUP}?zip=${zip}`)).status);
    }
    expect(statuses).toEqual([403, 403, 403]);
    const locked = await raw(`${b.url}${LOOKUP}?zip=${RIGHT_ZIP}`);
    expect(locked.status).toBe(429);
    expect(json(locked)).toMatchObject({ type: 'urn:problem:zip-attempts', status: 429 });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect((await raw(`${a.url}${LOOKUP}?zip=${RIGHT_ZIP}`)).status).toBe(429);
    // Without a zip the lookup keeps working; another shipment is not locked.
    expect((await raw(`${a.url}${LOOKUP}`)).status).toBe(200);
    expect((await raw(`${a.url}/api/v1/shipments/DHL/TN901?zip=${RIGHT_ZIP}`)).status).toBe(200);

    // One security event for the lock-out, on whichever instance hit it first, without the zips.
    await Promise.all([a, b].map((api) => waitForOutput(api, /zip_lockout/)));
    const events = [a, b].flatMap(jsonLines).filter((line) => line.event === 'zip_lockout');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      level: 'warn',
      client: '127.0.0.1',
      carrier: 'DHL',
      trackingNumber: 'TN900',
    });
    const output = a.output() + b.output();
    for (const zip of ['11111', '22222', '33333']) expect(output).not.toContain(zip);
  });

  it('locks a shipment for everyone after ZIP_ATTEMPTS_PER_SHIPMENT wrong zips from many clients', async () => {
    const [a, b] = await start({ ZIP_ATTEMPTS_PER_SHIPMENT: '3', TRUST_PROXY: 'loopback' });
    const tryFrom = (api: RunningApi, client: string, zip: string) =>
      raw(`${api.url}${LOOKUP}?zip=${zip}`, { headers: { 'X-Forwarded-For': client } });
    for (const [api, client] of [
      [a, '198.51.100.1'],
      [b, '198.51.100.2'],
      [a, '198.51.100.3'],
    ] as const) {
      expect((await tryFrom(api, client, '99999')).status).toBe(403);
    }
    const locked = await tryFrom(b, '198.51.100.77', RIGHT_ZIP);
    expect(locked.status).toBe(429);
    expect(json(locked).type).toBe('urn:problem:zip-attempts');
  });
});
