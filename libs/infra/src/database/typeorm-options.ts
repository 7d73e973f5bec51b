import { AppConfig } from '@app/config';
import { TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { MixedList } from 'typeorm';
import { EmbeddedDatabase } from './embedded-postgres';

/**
 * TypeORM options from AppConfig: the embedded server's URL when there is one, else the
 * configured target. The data source is initialised by DatabaseLifecycle, which migrates first.
 */
export function typeOrmOptions(
  config: AppConfig,
  embedded: EmbeddedDatabase | null,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>,
): TypeOrmModuleOptions {
  const { database } = config;
  const url = embedded?.url ?? database.url;
  const target = url
    ? { url }
    : {
        host: database.host,
        port: database.port,
        username: database.user,
        password: database.password,
        database: database.name,
      };
  return {
    type: 'postgres',
    ...target,
    migrations,
    migrationsRun: false,
    synchronize: false,
    manualInitialization: true,
    // A bad target is reported once, at once: no nine silent retries of a connection.
    retryAttempts: 0,
    applicationName: 'shipment-tracking',
    extra: { max: database.poolSize, connectionTimeoutMillis: 5000 },
  };
}
