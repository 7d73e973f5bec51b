import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule, MetricsModule } from '@app/infra';
import { ImportModule } from '@app/import';
import { MIGRATIONS, ShipmentTrackingModule } from '@app/shipments';
import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ApiKeysService } from './auth/api-keys.service';
import { HealthModule } from './health/health.module';
import { MetricsController } from './metrics/metrics.controller';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { WeatherRefreshJob } from './jobs/weather-refresh.job';
import { SampleDataSeeder } from './sample-data.seeder';
import { ShipmentsController } from './shipments/shipments.controller';
import { TrackController } from './track/track.controller';
import { TrackPageService } from './track/track-page.service';
import { WeatherController } from './weather/weather.controller';

@Module({})
export class ApiModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AppConfigModule.forRoot(config),
        // Connected and migrated before any bootstrap hook (jobs, the sample import) or request.
        DatabaseModule.forRoot({ migrations: MIGRATIONS, connect: 'start', shareEmbedded: true }),
        ShipmentTrackingModule,
        HealthModule,
        ScheduleModule.forRoot(),
        ImportModule,
        MetricsModule,
        RateLimitModule,
      ],
      controllers: [
        ShipmentsController,
        WeatherController,
        TrackController,
        ...(config.observability.metricsEnabled ? [MetricsController] : []),
      ],
      providers: [ApiKeysService, TrackPageService, WeatherRefreshJob, SampleDataSeeder],
    };
  }
}
