import { AppConfig } from '@app/config';
import { RedisUnavailableError } from '@app/infra';
import { WeatherRefreshService } from '@app/shipments';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';

/** How often locations that never had a reading (just imported) are warmed between cycles. */
export const WARM_INTERVAL_MS = 30_000;

/**
 * Triggers only: the refresh on WEATHER_REFRESH_CRON (registered at bootstrap, since the schedule
 * comes from config) and the warm-up of new locations. The work is WeatherRefreshService's.
 */
@Injectable()
export class WeatherRefreshJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(WeatherRefreshJob.name);

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly refresh: WeatherRefreshService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Each tick is named by its scheduled time, the same on every instance (not by when this
    // process's timer fired), so the instances agree on which tick a cycle belongs to.
    let scheduled: Date | undefined;
    const refresh = CronJob.from({
      cronTime: this.config.weather.refreshCron,
      onTick: () => {
        const tick = scheduled ?? new Date();
        scheduled = refresh.nextDate().toJSDate();
        this.run('refresh', () => this.refresh.refreshActiveReceivers(tick));
      },
      start: true,
    });
    scheduled = refresh.nextDate().toJSDate();
    this.scheduler.addCronJob('weather-refresh', refresh);
    const warm = setInterval(
      () => this.run('warm-up', () => this.refresh.warmNewLocations()),
      WARM_INTERVAL_MS,
    );
    this.scheduler.addInterval('weather-warm-up', warm);
    this.logger.log(
      `Weather refresh scheduled "${this.config.weather.refreshCron}"; new locations warmed every ${WARM_INTERVAL_MS / 1000} s`,
    );
  }

  private run(name: string, work: () => Promise<unknown>): void {
    work().catch((error: Error) => {
      // Redis away (no lock to take) is a state RedisConnection logs once; the tick just skips.
      if (error instanceof RedisUnavailableError) return;
      this.logger.error(`Weather ${name} failed: ${error.message}`, error.stack);
    });
  }
}
