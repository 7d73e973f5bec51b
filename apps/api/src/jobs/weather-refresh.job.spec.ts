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

  const start = (failure: Error) => {
    const receiverWeather = {
      warmNewLocations: jest.fn().mockRejectedValue(failure),
      refreshActiveReceivers: jest.fn(),
    };
    const sut = new WeatherRefreshJob(
      scheduler,
      receiverWeather as unknown as WeatherRefreshService,
      loadConfig({}),
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
});
