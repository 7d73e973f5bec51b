import { RedisConnection, RedisUnavailableError } from '../redis/redis-connection';
import { SharedFlight } from './shared-flight';

/** SET NX, GET and the three if-ours scripts over a Map: the Redis every instance shares. */
function fakeRedis() {
  const keys = new Map<string, string>();
  const client = {
    set: (key: string, value: string, options?: { condition?: string }) => {
      if (options?.condition === 'NX' && keys.has(key)) return Promise.resolve(null);
      keys.set(key, value);
      return Promise.resolve('OK');
    },
    get: (key: string) => Promise.resolve(keys.get(key) ?? null),
    eval: (
      script: string,
      { keys: [key], arguments: args }: { keys: string[]; arguments: string[] },
    ) => {
      if (keys.get(key) !== args[0]) return Promise.resolve(0);
      if (script.includes("'del'")) keys.delete(key);
      else if (script.includes("'set'")) keys.set(key, args[1]);
      return Promise.resolve(1);
    },
  };
  const redis = {
    enabled: true,
    command: <T>(run: (c: typeof client) => Promise<T>) => run(client),
  } as unknown as RedisConnection;
  return { redis, keys };
}

const later = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe(SharedFlight.name, () => {
  it("runs the work once for callers on two instances; the second gets the first one's result", async () => {
    const { redis, keys } = fakeRedis();
    const work = jest.fn(() => later(100, { reading: 21 }));
    const [a, b] = await Promise.all([
      new SharedFlight(redis).run('weather:FR:75001', 1000, work),
      later(10, null).then(() => new SharedFlight(redis).run('weather:FR:75001', 1000, work)),
    ]);
    expect(work).toHaveBeenCalledTimes(1);
    expect(a).toEqual({ result: { reading: 21 }, role: 'led' });
    expect(b).toEqual({ result: { reading: 21 }, role: 'joined' });
    expect(keys.get('shipments:flight:weather:FR:75001')).toBe('done:{"reading":21}');
  });

  it('claims the key itself when the holder died (its claim expired without a result)', async () => {
    const { redis, keys } = fakeRedis();
    keys.set('shipments:flight:weather:FR:75001', 'host:1:dead-holder');
    const run = new SharedFlight(redis).run('weather:FR:75001', 1000, () => Promise.resolve(7));
    await later(60, null);
    keys.delete('shipments:flight:weather:FR:75001'); // its expiry
    expect(await run).toEqual({ result: 7, role: 'led' });
  });

  it('frees the key at once when the work fails, so the next caller runs it', async () => {
    const { redis, keys } = fakeRedis();
    const sut = new SharedFlight(redis);
    await expect(
      sut.run('weather:FR:75001', 1000, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(keys.size).toBe(0);
    expect(await sut.run('weather:FR:75001', 1000, () => Promise.resolve(1))).toEqual({
      result: 1,
      role: 'led',
    });
  });

  it('runs the work here, never failing the caller, while Redis is away', async () => {
    const away = {
      enabled: true,
      command: () => Promise.reject(new RedisUnavailableError('not answering')),
    } as unknown as RedisConnection;
    expect(
      await new SharedFlight(away).run('weather:FR:75001', 1000, () => Promise.resolve(3)),
    ).toEqual({
      result: 3,
      role: 'led',
    });
  });

  it('runs the work without REDIS_URL', async () => {
    const none = { enabled: false } as unknown as RedisConnection;
    expect(await new SharedFlight(none).run('k', 1000, () => Promise.resolve('x'))).toEqual({
      result: 'x',
      role: 'led',
    });
  });
});
