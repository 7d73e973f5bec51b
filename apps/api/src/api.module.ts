import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseMigrator, ShipmentsModule } from '@app/shipments';
import { DynamicModule, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ApiKeysService } from './auth/api-keys.service';
import { HealthModule } from './health/health.module';
import { WeatherRefreshJob } from './jobs/weather-refresh.job';
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
      ],
      controllers: [ShipmentsController, WeatherController],
      providers: [ApiKeysService, WeatherRefreshJob],
    };
  }

  constructor(private readonly migrator: DatabaseMigrator) {}

  /** Connect and migrate before the server listens, so no request meets an old schema. */
  async onApplicationBootstrap(): Promise<void> {
    await this.migrator.migrate();
  }
}
