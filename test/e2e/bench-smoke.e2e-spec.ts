import { runBench, SMOKE } from '../../bench/run';
import { describeWithRedis, testRedisBaseUrl } from '../support/redis';

/** Every bench scenario at tiny sizes, so `npm run bench` can't rot between runs. */
const describeBench = process.env.TEST_DATABASE_ADMIN_URL
  ? describeWithRedis
  : (name: string, body: () => void) =>
      describe.skip(`${name} (skipped: needs TEST_DATABASE_ADMIN_URL)`, body);

describeBench('bench smoke run (real PostgreSQL and Redis)', () => {
  it('runs every scenario and reports sane figures', async () => {
    const redis = new URL(testRedisBaseUrl()!);
    redis.pathname = '/15';
    const results = await runBench(
      {
        ...SMOKE,
        adminUrl: process.env.TEST_DATABASE_ADMIN_URL!,
        redisUrl: redis.toString(),
        outDir: null,
      },
      () => undefined,
    );
    expect(results.warm.api.requestsPerS).toBeGreaterThan(0);
    expect(results.warm.floor.requestsPerS).toBeGreaterThan(0);
    expect(results.warm.api.errors).toBe(0);
    expect(results.warm.plan).toMatch(/Index Scan using shipments_carrier_tracking_number_key/);
    expect(results.cold.upstreamCalls).toBe(SMOKE.cold.locations);
    expect(results.import.rows).toBe(SMOKE.import.shipments * 2);
    expect(results.importWhileServing.errors).toBe(0);
    expect(results.importWhileServing.requestsPerS).toBeGreaterThan(0);
    expect(results.refresh.calls).toBe(SMOKE.refresh.locations);
    expect(results.refresh.maxInAnyMinute).toBeLessThanOrEqual(SMOKE.refresh.perMinute);
    // Scenario 8: real nginx in front of 1-3 instances.
    expect(results.cluster.instances.map((size) => size.count)).toEqual([1, 2, 3]);
    for (const size of results.cluster.instances) {
      expect(size.latency.requestsPerS).toBeGreaterThan(0);
      expect(size.latency.errors).toBe(0);
    }
    expect(results.cluster.rollingRestart.requests).toBeGreaterThan(0);
    expect(results.cluster.rollingRestart.errors).toBe(0);
    expect(results.cluster.sigkill.errors).toBe(0);
    expect(results.cluster.cold.upstreamCalls).toBe(1);
  }, 180_000);
});
