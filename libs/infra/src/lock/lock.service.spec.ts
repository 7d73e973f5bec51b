import { Logger } from '@nestjs/common';
import { RedisConnection, RedisUnavailableError } from '../redis/redis-connection';
import { LockLostError, LockService } from './lock.service';

/** The lock's few Redis commands over a Map, with the failure each test sets. */
function fakeRedis() {
  const keys = new Map<string, string>();
  const state = { renewFails: null as Error | null, calls: [] as string[] };
  const client = {
    set: (key: string, value: string, options: { condition: string }) => {
      state.calls.push('set');
      if (options.condition === 'NX' && keys.has(key)) return Promise.resolve(null);
      keys.set(key, value);
      return Promise.resolve('OK');
    },
    eval: (
      script: string,
      { keys: [key], arguments: [token] }: { keys: string[]; arguments: string[] },
    ) => {
      const renew = script.includes('pexpire');
      state.calls.push(renew ? 'renew' : 'delete');
      if (renew && state.renewFails) return Promise.reject(state.renewFails);
      if (keys.get(key) !== token) return Promise.resolve(0);
      if (!renew) keys.delete(key);
      return Promise.resolve(1);
    },
  };
  const redis = {
    enabled: true,
    command: <T>(run: (c: typeof client) => Promise<T>) => run(client),
  } as unknown as RedisConnection;
  return { redis, keys, state };
}

describe(LockService.name, () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('gives a lock to one holder at a time, under shipments:lock:<name>, and frees it on release', async () => {
    const { redis, keys } = fakeRedis();
    const sut = new LockService(redis);
    const lease = await sut.tryAcquire('weather-refresh', 60_000);
    expect(lease).not.toBeNull();
    expect([...keys.keys()]).toEqual(['shipments:lock:weather-refresh']);
    expect(await sut.tryAcquire('weather-refresh', 60_000)).toBeNull();
    expect(await sut.tryAcquire('weather-warm-up', 60_000)).not.toBeNull();
    await lease!.release();
    expect(await sut.tryAcquire('weather-refresh', 60_000)).not.toBeNull();
  });

  it('renews a held lock every third of its expiry', async () => {
    const { redis, state } = fakeRedis();
    const lease = await new LockService(redis).tryAcquire('job', 30_000);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(state.calls.filter((call) => call === 'renew')).toHaveLength(3);
    expect(lease!.lost.aborted).toBe(false);
  });

  it('tells the holder at once, with one line, when the lock was taken over', async () => {
    const { redis, keys } = fakeRedis();
    const lease = (await new LockService(redis).tryAcquire('job', 30_000))!;
    keys.set('shipments:lock:job', 'another instance');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(lease.lost.aborted).toBe(true);
    expect(lease.lost.reason).toBeInstanceOf(LockLostError);
    expect(warn.mock.calls).toEqual([
      [
        expect.stringMatching(
          /^Lost the lock "job" \(it is no longer ours.*\): stopping the work it guarded$/,
        ),
      ],
    ]);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(warn).toHaveBeenCalledTimes(1);
    // Released after the loss: someone else's lock is never deleted.
    await lease.release();
    expect(keys.get('shipments:lock:job')).toBe('another instance');
  });

  it('counts a renewal Redis did not confirm as a loss, never swallowing it', async () => {
    const { redis, state } = fakeRedis();
    const lease = (await new LockService(redis).tryAcquire('job', 30_000))!;
    state.renewFails = new RedisUnavailableError('not answering');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(lease.lost.aborted).toBe(true);
    expect(warn).toHaveBeenCalledWith(
      'Lost the lock "job" (renewal failed: Redis is not answering): stopping the work it guarded',
    );
  });

  it('keeps locks in process without Redis: one holder, never lost', async () => {
    const sut = new LockService({ enabled: false } as unknown as RedisConnection);
    const lease = (await sut.tryAcquire('job', 1000))!;
    expect(await sut.tryAcquire('job', 1000)).toBeNull();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(lease.lost.aborted).toBe(false);
    await lease.release();
    await lease.release();
    const next = await sut.tryAcquire('job', 1000);
    expect(next).not.toBeNull();
    await lease.release(); // a second release of the old lease must not free the new holder's
    expect(await sut.tryAcquire('job', 1000)).toBeNull();
  });
});
