import { AppConfig } from '@app/config';
import { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { Article } from '../entities/article.entity';
import { Location } from '../entities/location.entity';
import { Shipment } from '../entities/shipment.entity';
import { MIGRATIONS } from '../migrations';

export const ENTITIES = [Shipment, Article, Location];

/**
 * TypeORM options from AppConfig. The data source is initialised by DatabaseMigrator, not at
 * module start, so a CLI dry run never needs a database and the API connects and migrates in
 * one place.
 */
export function typeOrmOptions(config: AppConfig): TypeOrmModuleOptions {
  const { database } = config;
  const target = database.url
    ? { url: database.url }
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
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    manualInitialization: true,
    // A bad target is reported once, at once: no nine silent retries of a connection.
    retryAttempts: 0,
    applicationName: 'shipment-tracking',
    extra: { max: database.poolSize, connectionTimeoutMillis: 5000 },
  };
}
