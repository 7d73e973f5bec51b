import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule, DatabaseOptions } from '@app/infra';
import { MIGRATIONS } from '@app/shipments';
import { DynamicModule } from '@nestjs/common';

/** The config and the database, as an app registers them (connecting on the first query). */
export function baseModules(
  config: AppConfig,
  connect: DatabaseOptions['connect'] = 'first-query',
): DynamicModule[] {
  return [
    AppConfigModule.forRoot(config),
    DatabaseModule.forRoot({ migrations: MIGRATIONS, connect, shareEmbedded: false }),
  ];
}
