import { AppConfig, AppConfigModule } from '@app/config';
import { ImportModule } from '@app/import';
import { DatabaseMigrator, ShipmentsModule } from '@app/shipments';
import { DynamicModule, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ApiKeysService } from './auth/api-keys.service';
import { HealthModule } from './health/health.module';
import { WeatherRefreshJob } from './jobs/weather-refresh.job';
import { SampleDataSeeder } from './sample-data.seeder';
import { ShipmentsController } from './shipments/shipments.controller';
import { WeatherController } from './weather/weather.controller';

@Module({})
export class ApiModule implements OnApplicationBootstrap {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AppConfigModule.forRoot(config),
        ShipmentsModule,
        HealthModule,
        ScheduleModule.forRoot(),
        ImportModule,
      ],
      controllers: [ShipmentsController, WeatherController],
      providers: [ApiKeysService, WeatherRefreshJob, SampleDataSeeder],
    };
  }

  constructor(
    private readonly migrator: DatabaseMigrator,
    private readonly seeder: SampleDataSeeder,
  ) {}

  /** Connect and migrate before the server listens, so no request meets an old schema. */
  async onApplicationBootstrap(): Promise<void> {
    await this.migrator.migrate();
    await this.seeder.seedIfEmpty();
  }
}
