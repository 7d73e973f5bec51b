import { createClient } from '@keyv/redis';

/**
 * Redis for the tests: TEST_REDIS_URL only (CI sets it). Never REDIS_URL: that is the Redis a
 * developer's own instance uses, and the tests empty the databases they take.
 */
export function testRedisBaseUrl(): string | null {
  return process.env.TEST_REDIS_URL ?? null;
}

/** The Redis databases the tests take, one per jest worker; the bench uses 14 (BENCH_REDIS_URL). */
const TEST_REDIS_DBS = 12;

/**
 * `describe` for specs that need a service: skipped, saying why, when it is missing; a failure
 * instead under REQUIRE_SERVICES=1 (CI), so nothing is silently left out there.
 */
export function describeRequiring(
  service: { present: boolean; what: string; how: string },
  name: string,
  body: () => void,
): void {
  if (service.present) {
    describe(name, body);
  } else if (process.env.REQUIRE_SERVICES === '1') {
    describe(name, () => {
      it(`has ${service.what}`, () => {
        throw new Error(`REQUIRE_SERVICES=1 but ${service.what} is missing (${service.how})`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: needs ${service.what}; ${service.how})`, body);
  }
}

/** `describe` for specs that need Redis itself (TEST_REDIS_URL). */
export function describeWithRedis(name: string, body: () => void): void {
  describeRequiring(
    {
      present: testRedisBaseUrl() !== null,
      what: 'Redis',
      how: 'set TEST_REDIS_URL=redis://127.0.0.1:6379',
    },
    name,
    body,
  );
}

/** `it` for a case that needs Redis itself, with describeWithRedis's rules. */
export function itWithRedis(name: string, test: () => Promise<void>, timeout?: number): void {
  if (testRedisBaseUrl()) it(name, test, timeout);
  else if (process.env.REQUIRE_SERVICES === '1')
    it(name, () => {
      throw new Error('REQUIRE_SERVICES=1 but TEST_REDIS_URL is not set');
    });
  else it.skip(`${name} (skipped: needs Redis; set TEST_REDIS_URL=redis://127.0.0.1:6379)`, test);
}

/**
 * A Redis database of this jest worker's own (files in one worker run one after another), emptied.
 * Keeps parallel test files from sharing cache keys, budgets and locks.
 */
export async function freshRedisUrl(): Promise<string> {
  const base = testRedisBaseUrl();
  if (!base) throw new Error('no Redis for the tests');
  const url = new URL(base);
  url.pathname = `/${1 + (Number(process.env.JEST_WORKER_ID ?? 1) % TEST_REDIS_DBS)}`;
  const client = createClient({ url: url.toString() });
  await client.connect();
  await client.flushDb();
  await client.close();
  return url.toString();
}
