import { loadConfig } from '@app/config';
import { RedisConnection, WindowCounters } from '@app/infra';
import { describeWithRedis, freshRedisUrl } from '../support/redis';

/** The counters behind the rate limit and the zip gate, on real Redis, from two "instances". */
describeWithRedis('WindowCounters on Redis', () => {
  let connections: RedisConnection[];
  let counters: WindowCounters[];

  beforeEach(async () => {
    const config = loadConfig({ REDIS_URL: await freshRedisUrl() });
    connections = [new RedisConnection(config), new RedisConnection(config)];
    await Promise.all(connections.map((connection) => connection.onModuleInit()));
    counters = connections.map((connection) => new WindowCounters(connection));
  });
  afterEach(async () => {
    counters.forEach((counter) => counter.onModuleDestroy());
    await Promise.all(connections.map((connection) => connection.onApplicationShutdown()));
  });

  it('gives every request of a burst its own exact count, in few round trips', async () => {
    const commands = connections.map((connection) => jest.spyOn(connection, 'command'));
    const burst = await Promise.all(
      Array.from({ length: 200 }, (_, i) => counters[i % 2].increment('burst', 60_000)),
    );
    // 200 requests over both instances: each count from 1 to 200 exactly once.
    expect(burst.map((count) => count.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    for (const count of burst) {
      expect(count.resetMs).toBeGreaterThan(59_000);
      expect(count.resetMs).toBeLessThanOrEqual(60_000);
    }
    // Counts asked for while a round trip is under way share the next one.
    for (const command of commands) expect(command.mock.calls.length).toBeLessThan(10);
  });

  it('counts one after another exactly across instances, several keys in one call', async () => {
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) seen.push((await counters[i % 2].increment('turns', 60_000)).count);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    const [a, b] = await counters[0].incrementAll([
      { name: 'turns', windowMs: 60_000 },
      { name: 'other', windowMs: 1_000 },
    ]);
    expect([a.count, b.count]).toEqual([7, 1]);
    expect(b.resetMs).toBeLessThanOrEqual(1_000);
    await counters[1].decrementAll(['turns']);
    expect((await counters[0].increment('turns', 60_000)).count).toBe(7);
  });
});
