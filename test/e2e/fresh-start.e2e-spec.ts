import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WeatherFake } from '../fakes/weather-fake';
import { fixture, SAMPLE_CSV } from '../support/paths';
import { runCli, startApi } from '../support/processes';

/**
 * The newcomer's path: no database, Redis or weather key configured. The built API opens an
 * embedded PostgreSQL under .data/, imports the sample, and the CLI imports into the same
 * database while the API runs.
 */
describe('Fresh start on embedded defaults (built processes)', () => {
  let dir: string;
  let fake: WeatherFake;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fresh-start-'));
    await copyFile(SAMPLE_CSV, join(dir, 'shipment.csv'));
    fake = await WeatherFake.start();
    // Only the weather is pointed somewhere: at the loopback fake (there is no internet here).
    env = {
      OPEN_METEO_BASE_URL: fake.url,
      OPEN_METEO_GEOCODING_BASE_URL: fake.url,
      ZIPPOPOTAM_BASE_URL: `${fake.url}/zippopotam`,
      // As on a newcomer's terminal: the banner as text (JSON lines off a terminal).
      LOG_FORMAT: 'pretty',
    };
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the sample, shares the database with the CLI, and finds its data on the next start', async () => {
    const api = await startApi(env, { cwd: dir });
    try {
      const banner = api.output();
      // The first start says why it takes a while; later ones don't.
      expect(banner).toMatch(
        /Creating the embedded database in .*\.data\/pglite \(first start only/,
      );
      expect(banner).toMatch(/Swagger UI {2}http:\/\/localhost:\d+\/api\/docs/);
      expect(banner).toMatch(/Try {9}http:\/\/localhost:\d+\/api\/v1\/shipments\/DHL\/TN12345678/);
      expect(banner).toMatch(/Database {4}embedded PostgreSQL \(PGlite\) in .*\.data\/pglite/);
      expect(banner).toMatch(/Cache {7}in-process/);
      expect(banner).toMatch(/Weather {5}Open-Meteo \(keyless\)/);

      const res = await fetch(`${api.url}/api/v1/shipments/DHL/TN12345678`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        articles: unknown[];
        weather: { provider: string } | null;
      };
      expect(body.articles).toHaveLength(2);
      expect(body.weather?.provider).toBe('open-meteo');

      // The CLI attaches to the API's embedded database instead of fighting over the files.
      const cli = await runCli(['import', fixture('weather-shipments.csv')], env, dir);
      expect(cli.stdout).toMatch(/shipments\s+9 created/);
      expect(cli.code).toBe(0);
      expect((await fetch(`${api.url}/api/v1/shipments/GLS/TN905`)).status).toBe(200);
    } finally {
      expect(await api.stop('SIGINT')).toBe(0);
    }
    expect(existsSync(join(dir, '.data/pglite.lock'))).toBe(false);

    const again = await startApi(env, { cwd: dir });
    try {
      expect(again.output()).not.toMatch(/The database was empty|Creating the embedded database/);
      expect((await fetch(`${again.url}/api/v1/shipments/GLS/TN905`)).status).toBe(200);
    } finally {
      expect(await again.stop('SIGINT')).toBe(0);
    }

    // With the API stopped, the CLI opens the embedded database itself.
    const alone = await runCli(['import', join(dir, 'shipment.csv')], env, dir);
    expect(alone.stdout).toMatch(/shipments\s+0 created, 0 updated, 5 unchanged/);
    expect(alone.code).toBe(0);
  });
});
