import { WeatherFake } from '../fakes/weather-fake';
import { createTestDatabase, OFFLINE_WEATHER, TestDatabase } from '../support/database';
import { fixture } from '../support/paths';
import { runCli, startApi } from '../support/processes';

describe('Weather end to end (built processes, loopback fake, no Redis)', () => {
  let db: TestDatabase;
  let fake: WeatherFake;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    fake = await WeatherFake.start();
    env = {
      DATABASE_URL: db.url,
      ...OFFLINE_WEATHER,
      ...fake.env('open-meteo'),
      WEATHER_TIMEOUT_MS: '1000',
    };
    expect((await runCli(['import', fixture('weather-shipments.csv')], env)).code).toBe(0);
  });
  afterAll(async () => {
    await fake.close();
    await db.drop();
  });
  beforeEach(() => fake.reset());

  it('serves the weather in the lookup with the in-process cache', async () => {
    const api = await startApi(env);
    try {
      expect(api.output()).toMatch(/REDIS_URL is not set: .* in-process \(single instance only\)/);
      const first = (await (await fetch(`${api.url}/api/v1/shipments/DHL/TN900`)).json()) as {
        weather: unknown;
      };
      expect(first.weather).toMatchObject({
        provider: 'open-meteo',
        location: { countryCode: 'FR', locatedBy: 'postcode' },
      });
      const calls = fake.weatherCalls;
      await fetch(`${api.url}/api/v1/shipments/DHL/TN900`);
      expect(fake.weatherCalls).toBe(calls);
      const weather = await fetch(`${api.url}/api/v1/weather?zip=1000&country=BE`);
      expect(weather.status).toBe(200);
    } finally {
      await api.stop();
    }
  });

  it('lets an in-flight lookup finish on Ctrl-C, then exits 0', async () => {
    const api = await startApi({ ...env, WEATHER_TIMEOUT_MS: '3000' });
    fake.latencyMs = 1500;
    const inFlight = fetch(`${api.url}/api/v1/shipments/UPS/TN902?zip=1000`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = api.stop('SIGINT');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { weather: { location: { zip: string } } }).weather.location.zip,
    ).toBe('1000');
    expect(await exited).toBe(0);
  });

  it('refreshes every active receiver location once with refresh-weather', async () => {
    const result = await runCli(['refresh-weather'], env);
    // 99999 FR is unknown to the provider: that location fails, so the exit status says so.
    expect(result.stdout).toMatch(
      /^Weather refresh: 6 locations, 5 refreshed, 1 failed in [\d.]+ s\n$/,
    );
    expect(result.code).toBe(1);
    expect(fake.weatherCalls).toBe(5);
    // Every fetch was recorded on its location before the CLI closed the database.
    expect(result.stderr).not.toMatch(/Could not record/);
  });
});
