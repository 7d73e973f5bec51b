import { Logger } from '@nestjs/common';
import { RedisConnection, RedisUnavailableError } from '../redis/redis-connection';
import { LockLostError, LockService } from './lock.service';

/** The lock's few Redis commands over a Map, with the failure each test sets. */
function fakeRedis() {
  const keys = new Map<string, string>();
  const state = { renewFails: null as Error | null, calls: [] as string[] };
  const client = {
    exists: (key: string) => Promise.resolve(keys.has(key) ? 1 : 0),
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

  describe('once per occasion (a schedule tick) across instances', () => {
    const tick = '2026-12-02T10:00:00.000Z';

    it('runs the work on one instance; another that comes after it does nothing', async () => {
      const { redis, keys } = fakeRedis();
      const [a, b] = [new LockService(redis), new LockService(redis)];
      const work = jest.fn().mockResolvedValue('cycle');
      expect(await a.oncePer('weather-refresh', tick, 60_000, work)).toBe('cycle');
      expect(await b.oncePer('weather-refresh', tick, 60_000, work)).toBeNull();
      expect(work).toHaveBeenCalledTimes(1);
      expect(keys.has(`shipments:done:weather-refresh:${tick}`)).toBe(true);
      // The next tick is another occasion.
      expect(await b.oncePer('weather-refresh', 'next', 60_000, work)).toBe('cycle');
    });

    it('makes an instance that finds it running wait, then do nothing once it is done', async () => {
      const { redis } = fakeRedis();
      let finish!: (value: string) => void;
      const running = new LockService(redis).oncePer(
        'weather-refresh',
        tick,
        3000,
        () => new Promise<string>((resolve) => (finish = resolve)),
      );
      await jest.advanceTimersByTimeAsync(0);
      const work = jest.fn().mockResolvedValue('again');
      const waiting = new LockService(redis).oncePer('weather-refresh', tick, 3000, work);
      await jest.advanceTimersByTimeAsync(5000);
      finish('cycle');
      await jest.advanceTimersByTimeAsync(1000);
      expect(await running).toBe('cycle');
      expect(await waiting).toBeNull();
      expect(work).not.toHaveBeenCalled();
    });

    it('takes over when the holder dies: its lock expires and a waiting instance runs the work', async () => {
      const { redis, keys } = fakeRedis();
      // The holder took the lock and died: nothing renews it, nothing marks the tick done.
      await new LockService(redis).tryAcquire('weather-refresh', 3000);
      const work = jest.fn().mockResolvedValue('taken over');
      const waiting = new LockService(redis).oncePer('weather-refresh', tick, 3000, work);
      await jest.advanceTimersByTimeAsync(2000);
      expect(work).not.toHaveBeenCalled();
      keys.delete('shipments:lock:weather-refresh'); // its expiry
      await jest.advanceTimersByTimeAsync(1000);
      expect(await waiting).toBe('taken over');
      expect(work).toHaveBeenCalledTimes(1);
    });

    it('leaves a tick whose lock was lost half-way undone, so another instance runs it', async () => {
      const { redis, keys } = fakeRedis();
      const a = new LockService(redis);
      await a.oncePer('weather-refresh', tick, 3000, async () => {
        keys.set('shipments:lock:weather-refresh', 'someone else');
        await jest.advanceTimersByTimeAsync(1000); // the renewal finds it is no longer ours
        return 'stopped';
      });
      expect(keys.has(`shipments:done:weather-refresh:${tick}`)).toBe(false);
      keys.delete('shipments:lock:weather-refresh');
      const work = jest.fn().mockResolvedValue('completed');
      expect(await new LockService(redis).oncePer('weather-refresh', tick, 3000, work)).toBe(
        'completed',
      );
    });

    it('runs it in process without Redis, unless this process is running it already', async () => {
      const sut = new LockService({ enabled: false } as unknown as RedisConnection);
      let finish!: (value: string) => void;
      const running = sut.oncePer('job', tick, 3000, () => new Promise((r) => (finish = r)));
      await jest.advanceTimersByTimeAsync(0);
      expect(await sut.oncePer('job', tick, 3000, () => Promise.resolve('second'))).toBeNull();
      finish('first');
      expect(await running).toBe('first');
    });
  });
});
