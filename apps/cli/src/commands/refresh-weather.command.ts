import { WeatherRefreshService } from '@app/shipments';
import { Command, CommandRunner } from 'nest-commander';
import { CliOutput } from '../cli-output.service';

@Command({
  name: 'refresh-weather',
  description: 'Refresh the weather of every receiver location of undelivered shipments, now',
})
export class RefreshWeatherCommand extends CommandRunner {
  constructor(
    private readonly refresh: WeatherRefreshService,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const summary = await this.refresh.refreshActiveReceivers();
    if (summary.skipped) {
      this.output.info('Another weather refresh is running; nothing done');
      return;
    }
    this.output.info(
      `Weather refresh: ${summary.locations} locations, ${summary.refreshed} refreshed, ` +
        `${summary.failed} failed in ${(summary.durationMs / 1000).toFixed(2)} s`,
    );
    if (summary.lockLost)
      this.output.error('error: the refresh lost its lock half-way and stopped; run it again');
    if (summary.failed > 0 || summary.lockLost) process.exitCode = 1;
  }
}
