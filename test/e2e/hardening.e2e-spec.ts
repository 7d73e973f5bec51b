import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { WeatherFake } from '../fakes/weather-fake';
import { createTestDatabase, OFFLINE_WEATHER, TestDatabase } from '../support/database';
import { fixture } from '../support/paths';
import { CLI_MAIN, runCli, startApi } from '../support/processes';

const HEADER =
  'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status';

/** Sends raw bytes on one connection and collects everything the server writes back. */
function rawExchange(url: string, bytes: string, afterFirstByte?: () => void): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => {
      if (answer === '') afterFirstByte?.();
      answer += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

function bodyOf(response: string): unknown {
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
}

describe('Hardening end to end (built processes)', () => {
  let db: TestDatabase;
  let fake: WeatherFake;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    fake = await WeatherFake.start();
    dir = await mkdtemp(join(tmpdir(), 'hardening-'));
    expect(
      (await runCli(['import', fixture('weather-shipments.csv')], { DATABASE_URL: db.url })).code,
    ).toBe(0);
  });
  afterAll(async () => {
    await fake.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers over-large headers with a 431 problem, not Fastify's body", async () => {
    const api = await startApi({ DATABASE_URL: db.url, ...OFFLINE_WEATHER });
    try {
      const answer = await rawExchange(
        api.url,
        `GET /api/v1/shipments/DHL/TN900 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 431 /);
      expect(answer).toMatch(/Content-Type: application\/problem\+json/i);
      expect(bodyOf(answer)).toMatchObject({
        type: 'urn:problem:headers-too-large',
        status: 431,
        title: 'Request Header Fields Too Large',
      });
    } finally {
      await api.stop();
    }
  });

  it('answers a request that arrives while draining with a 503 problem and Retry-After', async () => {
    const api = await startApi({
      DATABASE_URL: db.url,
      ...OFFLINE_WEATHER,
      ...fake.env('open-meteo'),
      WEATHER_TIMEOUT_MS: '3000',
    });
    fake.latencyMs = 1500;
    // One keep-alive connection: the first request is in flight when SIGTERM arrives, the second
    // is sent after it, while the server drains.
    const { hostname, port } = new URL(api.url);
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /api/v1/shipments/UPS/TN902 HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const exited = api.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.write('GET /api/v1/shipments/DHL/TN900 HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    fake.latencyMs = 0;
    const [first, second] = answer.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/content-type: application\/problem\+json/i);
    expect(second).toMatch(/retry-after: 5/i);
    expect(bodyOf(second)).toMatchObject({ type: 'urn:problem:shutting-down', status: 503 });
    expect(await exited).toBe(0);
  });

  it('fails readiness first on SIGTERM and serves for SHUTDOWN_DELAY_MS, then drains and exits 0', async () => {
    const api = await startApi({
      DATABASE_URL: db.url,
      ...OFFLINE_WEATHER,
      ...fake.env('open-meteo'),
      SHUTDOWN_DELAY_MS: '1500',
    });
    const signalled = Date.now();
    const exited = api.stop('SIGTERM').then((code) => ({ code, afterMs: Date.now() - signalled }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ready = await fetch(`${api.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ type: 'urn:problem:shutting-down', status: 503 });
    // Still serving while the balancer takes it out: lookups and liveness answer as usual.
    const lookup = await fetch(`${api.url}/api/v1/shipments/DHL/TN900`);
    expect(lookup.status).toBe(200);
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
    // A request in flight when the delay ends is answered before the process exits.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, signalled + 1000 - Date.now())));
    fake.latencyMs = 1200;
    const inFlight = fetch(`${api.url}/api/v1/shipments/UPS/TN902`);
    const { code, afterMs } = await exited;
    fake.latencyMs = 0;
    expect((await inFlight).status).toBe(200);
    expect(code).toBe(0);
    expect(afterMs).toBeGreaterThanOrEqual(1500);
    expect(api.output()).toMatch(/not ready from now on; serving for 1500 ms, then closing/);
  });

  it('stops at once with one line naming the variable for a malformed DATABASE_URL', async () => {
    for (const [url, reason] of [
      [
        'postgres://user:pa%zz@127.0.0.1:5432/db',
        'the password has a broken percent-escape; write % as %25 and @ as %40',
      ],
      ['postgres://user@127.0.0.1:99999/db', 'the port must be a number from 1 to 65535'],
    ]) {
      const started = Date.now();
      const result = await runCli(['migrate'], { DATABASE_URL: url });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([`error: DATABASE_URL: ${reason}`]);
    }
  });

  it('leaves every shipment as before or complete when an import is killed half-way', async () => {
    const rows = [HEADER];
    for (let n = 0; n < 60_000; n++) {
      for (const sku of ['A', 'B']) {
        rows.push(
          `KX${n},KXC,"Street 1, 10115 Berlin, Germany","Street 10, 75001 Paris, France",Item,1,1.00,${sku},in-transit`,
        );
      }
    }
    const path = join(dir, 'big.csv');
    await writeFile(path, `${rows.join('\n')}\n`);
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      const child = spawn(process.execPath, [CLI_MAIN, 'import', path], {
        env: { PATH: process.env.PATH, DATABASE_URL: db.url, IMPORT_BATCH_SIZE: '1000' },
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Kill it once it has been writing for a second (several batches of 1,000 shipments).
      for (let i = 0; i < 600; i++) {
        const busy = await admin.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'shipment-tracking'
              AND xact_start IS NOT NULL AND now() - xact_start > interval '1 second'`,
        );
        if (busy.rowCount) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill('SIGKILL');
      await exited;
      const { rows: counts } = await admin.query(
        `SELECT count(*)::int AS n FROM shipments s
          WHERE s.carrier = 'KXC' AND (SELECT count(*) FROM articles a WHERE a.shipment_id = s.id) <> 2`,
      );
      expect(counts[0].n).toBe(0);
      // The earlier import is untouched, and a re-run completes this one.
      expect(
        (await admin.query(`SELECT count(*)::int AS n FROM shipments WHERE carrier <> 'KXC'`))
          .rows[0].n,
      ).toBe(9);
      expect((await runCli(['import', path], { DATABASE_URL: db.url })).code).toBe(0);
      expect(
        (await admin.query(`SELECT count(*)::int AS n FROM shipments WHERE carrier = 'KXC'`))
          .rows[0].n,
      ).toBe(60_000);
    } finally {
      await admin.end();
    }
  });
});
