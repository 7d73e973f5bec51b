import { AppConfig, AppConfigModule } from '@app/config';
import { ImportModule } from '@app/import';
import { ShipmentsModule } from '@app/shipments';
import { DynamicModule, Module } from '@nestjs/common';
import { CliOutput } from './cli-output.service';
import { ImportCommand } from './commands/import.command';
import { MigrateCommand } from './commands/migrate.command';
import { RefreshWeatherCommand } from './commands/refresh-weather.command';

@Module({})
export class CliModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [AppConfigModule.forRoot(config), ShipmentsModule, ImportModule],
      providers: [CliOutput, ImportCommand, MigrateCommand, RefreshWeatherCommand],
    };
  }
}
