import { createClient } from '@keyv/redis';
import { WeatherFake } from '../fakes/weather-fake';
import { createTestDatabase, TestDatabase } from '../support/database';
import { fixture } from '../support/paths';
import { RunningApi, runCli, startApi } from '../support/processes';
import { describeWithRedis, freshRedisUrl } from '../support/redis';

type Lookup = { weather: unknown; weatherError: string | null };

/** A metric's value on one instance, summed over the series whose labels match. */
async function metric(api: RunningApi, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const lines = text.matchAll(new RegExp(`^${name}\\{${labels}\\} (\\d+)$`, 'gm'));
  return [...lines].reduce((sum, [, value]) => sum + Number(value), 0);
}

const sumOver = async (apis: RunningApi[], name: string, labels: string) =>
  (await Promise.all(apis.map((api) => metric(api, name, labels)))).reduce((a, b) => a + b, 0);

const lookup = async (api: RunningApi, path: string): Promise<Lookup> => {
  const res = await fetch(`${api.url}/api/v1/shipments/${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Lookup;
};

/**
 * Several API processes on one PostgreSQL and one Redis, as behind a load balancer: what one
 * instance does must not be done again by the others.
 */
describeWithRedis('three instances on one PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let fake: WeatherFake;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    fake = await WeatherFake.start();
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: await freshRedisUrl(),
      ...fake.env('open-meteo'),
      WEATHER_TIMEOUT_MS: '1000',
      WEATHER_RETRY_AFTER_SECONDS: '1',
      WEATHER_MAX_CALLS_PER_MINUTE: '1000',
      // No scheduled refresh unless a test asks for one.
      WEATHER_REFRESH_CRON: '0 0 1 1 *',
      LOG_FORMAT: 'json',
    };
    expect((await runCli(['import', fixture('weather-shipments.csv')], env)).code).toBe(0);
  });
  afterAll(async () => {
    await fake.close();
    await db.drop();
  });
  beforeEach(() => fake.reset());

  const startThree = (extra: Record<string, string> = {}) =>
    Promise.all([0, 1, 2].map(() => startApi({ ...env, ...extra })));

  describe('single flight', () => {
    let apis: RunningApi[] = [];
    beforeAll(async () => (apis = await startThree()));
    afterAll(() => Promise.all(apis.map((api) => api.stop('SIGKILL'))));

    it('makes one upstream call (and one geocode) for concurrent lookups of a cold location on every instance', async () => {
      fake.latencyMs = 300;
      // TN900 and TN901 go to the same receiver location (75001, France).
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          lookup(apis[i % 3], i % 2 === 0 ? 'DHL/TN900' : 'DHL/TN901'),
        ),
      );
      expect(answers.every((answer) => answer.weather !== null)).toBe(true);
      expect(fake.weatherCalls).toBe(1);
      expect(fake.count('/zippopotam') + fake.count('/v1/search')).toBeLessThanOrEqual(1);
      expect(await sumOver(apis, 'weather_shared_flights_total', 'role="led"')).toBe(1);
      // Every instance took part, and the two that did not ask waited for the one that did.
      for (const api of apis)
        expect(await metric(api, 'weather_shared_flights_total', 'role="(?:led|joined)"')).toBe(1);
    });

    it('keeps the lookup deadline when the fetching instance dies, and fetches anew once its claim expires', async () => {
      const [holder, waiter] = apis;
      fake.hang = true;
      const held = fetch(`${holder.url}/api/v1/shipments/DPD/TN903`).catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      const waiting = lookup(waiter, 'DPD/TN903');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await holder.stop('SIGKILL');
      await held;
      const answer = await waiting;
      // WEATHER_TIMEOUT_MS is 1000: the lookup answered within it, with the reason.
      expect(Date.now() - started).toBeLessThan(2500);
      expect(answer.weather).toBeNull();
      expect(answer.weatherError).toMatch(/did not answer within 1000 ms/);
      fake.recover();
      // The remembered timeout (1 s here) passes, then the next lookup fetches it.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const again = await lookup(waiter, 'DPD/TN903');
      expect(again.weather).not.toBeNull();
    });
  });

  describe('the scheduled refresh', () => {
    const LOCK_KEY = 'shipments:lock:weather-refresh';
    let apis: RunningApi[] = [];
    afterEach(() => Promise.all(apis.map((api) => api.stop('SIGKILL'))));

    /** Per instance, the ticks its refresh cycles completed. */
    const ranTicks = (api: RunningApi): string[] =>
      [...api.output().matchAll(/Weather refresh of the (\S+) tick: \d+ locations/g)].map(
        ([, tick]) => tick,
      );

    it('runs exactly one cycle per tick across three instances', async () => {
      apis = await startThree({ WEATHER_REFRESH_CRON: '*/2 * * * * *' });
      await new Promise((resolve) => setTimeout(resolve, 9000));
      const ticks = apis.flatMap(ranTicks).sort();
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      // No tick twice, and none left out between the first and the last.
      expect(new Set(ticks).size).toBe(ticks.length);
      const first = Date.parse(ticks[0]);
      expect(ticks).toEqual(ticks.map((_, i) => new Date(first + i * 2000).toISOString()));
      const skipped = await sumOver(apis, 'weather_refresh_runs_total', 'result="skipped"');
      expect(skipped).toBeGreaterThanOrEqual(2 * (ticks.length - 1));
    });

    it('is taken over by another instance within the lock expiry when the one running it dies', async () => {
      const redis = createClient({ url: env.REDIS_URL });
      await redis.connect();
      try {
        // The previous case SIGKILLs its instances: one may have died holding the lock (60 s).
        await redis.del(LOCK_KEY);
        // A cycle that takes seconds: six locations, each answered after 1.5 s.
        apis = await startThree({
          WEATHER_REFRESH_CRON: '*/10 * * * * *',
          WEATHER_REFRESH_LOCK_TTL_MS: '2000',
        });
        fake.latencyMs = 1500;
        // The lock names its holder: host:pid:uuid; one of these three takes it.
        let dying: RunningApi | undefined;
        const deadline = Date.now() + 15_000;
        while (!dying && Date.now() < deadline) {
          const holder = await redis.get(LOCK_KEY);
          const pid = holder ? Number(holder.split(':')[1]) : NaN;
          dying = apis.find((api) => api.child.pid === pid);
          if (!dying) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        if (!dying) throw new Error('none of the three instances took the refresh lock in 15 s');
        await dying.stop('SIGKILL');
        const killedAt = Date.now();
        const tick = new Date(Math.floor(killedAt / 10_000) * 10_000).toISOString();
        const others = apis.filter((api) => api !== dying);
        while (others.flatMap(ranTicks).length === 0 && Date.now() - killedAt < 20_000) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        // The tick it died in was completed once, by one of the others, and not by it.
        expect(others.flatMap(ranTicks)).toEqual([tick]);
        expect(ranTicks(dying)).toEqual([]);
      } finally {
        await redis.close();
      }
    }, 90_000);
  });
});
