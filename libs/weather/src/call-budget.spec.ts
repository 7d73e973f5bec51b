import { loadConfig } from '@app/config';
import { CallBudget } from './call-budget';
import { Metrics, RedisConnection } from '@app/infra';

const noRedis = { client: () => Promise.resolve(null) } as unknown as RedisConnection;

describe(CallBudget.name, () => {
  afterEach(() => jest.useRealTimers());

  it('allows the configured calls in any 60 s, then refuses until the oldest leaves the window', async () => {
    jest.useFakeTimers({ now: 0 });
    const sut = new CallBudget(
      loadConfig({ WEATHER_MAX_CALLS_PER_MINUTE: '3' }),
      noRedis,
      new Metrics(),
    );
    expect(await sut.tryTake()).toBe(true);
    jest.setSystemTime(59_000);
    expect(await sut.tryTake()).toBe(true);
    expect(await sut.tryTake()).toBe(true);
    expect(await sut.tryTake()).toBe(false);
    // A clock-minute boundary frees nothing: only the call at 0 ms leaves, after 61 s (60 + margin).
    jest.setSystemTime(61_000);
    expect(await sut.tryTake()).toBe(true);
    expect(await sut.tryTake()).toBe(false);
  });

  it('makes a waiting caller wait for the window instead of failing', async () => {
    jest.useFakeTimers({ now: 0 });
    const sut = new CallBudget(
      loadConfig({ WEATHER_MAX_CALLS_PER_MINUTE: '1' }),
      noRedis,
      new Metrics(),
    );
    await sut.take();
    let taken = false;
    const waiting = sut.take().then(() => (taken = true));
    await jest.advanceTimersByTimeAsync(59_000);
    expect(taken).toBe(false);
    await jest.advanceTimersByTimeAsync(2_000);
    await waiting;
    expect(taken).toBe(true);
  });
});
