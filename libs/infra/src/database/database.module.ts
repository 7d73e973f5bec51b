import { AppConfig } from '@app/config';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { typeOrmOptions } from './typeorm-options';
import type { MixedList } from 'typeorm';
import { DatabaseAvailability } from './database-availability';
import { ReadReplicas } from './read-replicas';
import { DATABASE_OPTIONS, DatabaseLifecycle, DatabaseOptions } from './database-lifecycle';
import {
  EMBEDDED_DATABASE,
  EmbeddedDatabase,
  openConfiguredEmbeddedDatabase,
} from './embedded-postgres';

/** The embedded database, one per process: the pool's target and DatabaseLifecycle's to close. */
@Module({
  providers: [
    { provide: EMBEDDED_DATABASE, inject: [AppConfig], useFactory: openConfiguredEmbeddedDatabase },
  ],
  exports: [EMBEDDED_DATABASE],
})
class EmbeddedDatabaseModule {}

/**
 * PostgreSQL for the whole process: the embedded database (when no server is configured), the
 * pool, the migrations and DatabaseAvailability, the gateway every repository queries through.
 * An app registers it once, with the schema's migrations and when to connect.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    options: DatabaseOptions & { migrations: MixedList<Function> },
  ): DynamicModule {
    const { migrations, ...lifecycle } = options;
    return {
      module: DatabaseModule,
      imports: [
        EmbeddedDatabaseModule,
        TypeOrmModule.forRootAsync({
          imports: [EmbeddedDatabaseModule],
          inject: [AppConfig, EMBEDDED_DATABASE],
          useFactory: (config: AppConfig, db: EmbeddedDatabase | null) =>
            typeOrmOptions(config, db, migrations),
        }),
      ],
      providers: [
        { provide: DATABASE_OPTIONS, useValue: lifecycle },
        DatabaseLifecycle,
        DatabaseAvailability,
        ReadReplicas,
      ],
      exports: [DatabaseLifecycle, DatabaseAvailability, ReadReplicas],
    };
  }
}
