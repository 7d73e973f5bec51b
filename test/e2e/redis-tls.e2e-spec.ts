import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WeatherFake } from '../fakes/weather-fake';
import { createTestDatabase, TestDatabase } from '../support/database';
import {
  describeWithOwnServers,
  makeTestCertificates,
  OwnRedis,
  startOwnRedis,
} from '../support/own-servers';
import { fixture } from '../support/paths';
import { runCli, startApi } from '../support/processes';

const USER = { name: 'shipments', password: 'p@ss word/with:specials' };

/** A managed Redis as it usually comes: TLS only (rediss://), a private CA, an ACL user. */
describeWithOwnServers(
  'REDIS_URL with rediss:// and credentials (own TLS redis-server)',
  ['redis'],
  () => {
    let dir: string;
    let redis: OwnRedis;
    let db: TestDatabase;
    let fake: WeatherFake;
    let env: Record<string, string>;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'redis-tls-'));
      const certificates = await makeTestCertificates(dir);
      [redis, db, fake] = await Promise.all([
        startOwnRedis({ tls: certificates, user: USER }),
        createTestDatabase({ migrated: false }),
        WeatherFake.start(),
      ]);
      env = {
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        // How a private CA is trusted: Node's own variable, no option of ours.
        NODE_EXTRA_CA_CERTS: certificates.ca,
        ...fake.env('open-meteo'),
        LOG_FORMAT: 'json',
      };
      expect((await runCli(['import', fixture('weather-shipments.csv')], env)).code).toBe(0);
    });
    afterAll(async () => {
      await redis?.stop();
      await fake?.close();
      await db?.drop();
      await rm(dir, { recursive: true, force: true });
    });

    it('caches the weather in a TLS Redis that needs a user and password', async () => {
      expect(redis.url).toMatch(
        /^rediss:\/\/shipments:p%40ss%20word%2Fwith%3Aspecials@127\.0\.0\.1:/,
      );
      const api = await startApi(env);
      try {
        const ready = (await (await fetch(`${api.url}/health/ready`)).json()) as {
          details: Record<string, { status: string }>;
        };
        expect(ready.details.redis).toEqual({ status: 'up' });
        await fetch(`${api.url}/api/v1/shipments/DHL/TN900`);
        const calls = fake.weatherCalls;
        expect(calls).toBe(1);
        // A second instance finds the reading in the shared (TLS) cache.
        const second = await startApi(env);
        try {
          const body = (await (await fetch(`${second.url}/api/v1/shipments/DHL/TN900`)).json()) as {
            weather: unknown;
          };
          expect(body.weather).not.toBeNull();
          expect(fake.weatherCalls).toBe(calls);
        } finally {
          await second.stop();
        }
        expect(api.output()).not.toContain(USER.password);
      } finally {
        await api.stop();
      }
    });

    it('reports a refused password as Redis down, stays ready, and never logs the password', async () => {
      const wrong = redis.url.replace(encodeURIComponent(USER.password), 'not-the-password');
      const api = await startApi({ ...env, REDIS_URL: wrong });
      try {
        const res = await fetch(`${api.url}/health/ready`);
        expect(res.status).toBe(200);
        const ready = (await res.json()) as { details: Record<string, { status: string }> };
        expect(ready.details.redis.status).toBe('down');
        const lookup = await fetch(`${api.url}/api/v1/shipments/DHL/TN900`);
        expect(lookup.status).toBe(200);
        expect(api.output()).not.toContain('not-the-password');
      } finally {
        await api.stop();
      }
    });
  },
);
