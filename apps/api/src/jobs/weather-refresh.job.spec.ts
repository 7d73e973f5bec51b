import { loadConfig } from '@app/config';
import { RedisUnavailableError } from '@app/infra';
import { WeatherRefreshService } from '@app/shipments';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { WARM_INTERVAL_MS, WeatherRefreshJob } from './weather-refresh.job';

describe(WeatherRefreshJob.name, () => {
  let scheduler: SchedulerRegistry;
  let error: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    scheduler = new SchedulerRegistry();
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    for (const job of scheduler.getCronJobs().values()) void job.stop();
    for (const name of scheduler.getIntervals()) scheduler.deleteInterval(name);
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const start = (failure: Error, env: Record<string, string> = {}) => {
    const receiverWeather = {
      warmNewLocations: jest.fn().mockRejectedValue(failure),
      refreshActiveReceivers: jest.fn().mockResolvedValue(undefined),
    };
    const sut = new WeatherRefreshJob(
      scheduler,
      receiverWeather as unknown as WeatherRefreshService,
      loadConfig(env),
    );
    sut.onApplicationBootstrap();
    return receiverWeather;
  };

  it('skips a warm-up tick quietly while Redis is away (its state is logged once elsewhere)', async () => {
    const receiverWeather = start(new RedisUnavailableError('unreachable'));
    for (let tick = 0; tick < 3; tick++) await jest.advanceTimersByTimeAsync(WARM_INTERVAL_MS);
    expect(receiverWeather.warmNewLocations).toHaveBeenCalledTimes(3);
    expect(error).not.toHaveBeenCalled();
  });

  it('logs any other failure of a tick as an error', async () => {
    start(new Error('relation "locations" does not exist'));
    await jest.advanceTimersByTimeAsync(WARM_INTERVAL_MS);
    expect(error).toHaveBeenCalledWith(
      'Weather warm-up failed: relation "locations" does not exist',
      expect.any(String),
    );
  });

  it("names each refresh tick by its scheduled time, not by when this process's timer fired", async () => {
    jest.setSystemTime(new Date('2026-12-02T10:00:03.250Z'));
    const receiverWeather = start(new Error('unused'), { WEATHER_REFRESH_CRON: '*/5 * * * * *' });
    await jest.advanceTimersByTimeAsync(10_000);
    const ticks = receiverWeather.refreshActiveReceivers.mock.calls.map(([tick]) =>
      (tick as Date).toISOString(),
    );
    expect(ticks).toEqual(['2026-12-02T10:00:05.000Z', '2026-12-02T10:00:10.000Z']);
  });
});
