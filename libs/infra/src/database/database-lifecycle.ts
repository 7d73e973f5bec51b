import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';
import { DatabaseUnavailableError } from './database.errors';
import { describeDatabaseTarget } from './database-target';
import { EMBEDDED_DATABASE, EmbeddedDatabase } from './embedded-postgres';

/** Arbitrary but fixed: every process of this service takes the same advisory lock to migrate. */
const MIGRATION_LOCK_KEY = 727_001;

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

export interface DatabaseOptions {
  /**
   * `start`: connect and migrate while the app starts, before anything else runs (the API: a
   * bad target stops it at once). `first-query`: on the first query (the CLI: `--help` and a dry
   * run need no database).
   */
  connect: 'start' | 'first-query';
  /** Serve the embedded database to other processes once migrated (the API, not the CLI). */
  shareEmbedded: boolean;
}

/**
 * The database's whole life in one place: open the pool, apply pending migrations under an
 * advisory lock, let other processes attach to the embedded database, and on shutdown close the
 * pool before the embedded database under it. Every query waits for `ready()` (through
 * DatabaseAvailability), so nothing has to remember to migrate.
 */
@Injectable()
export class DatabaseLifecycle
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('Database');
  private opening?: Promise<string[]>;
  /** True once connected and migrated. */
  isReady = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EMBEDDED_DATABASE) private readonly embedded: EmbeddedDatabase | null,
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions,
  ) {}

  /** Before any bootstrap hook (jobs, the sample import), so they all meet the migrated schema. */
  async onModuleInit(): Promise<void> {
    if (this.options.connect === 'start') await this.ready();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.shareEmbedded) await this.embedded?.share();
  }

  /**
   * Connected and migrated. Idempotent: the first call does the work, later calls share its
   * result; a failure is not kept, so the next query tries again.
   * @returns the names of the migrations this call applied.
   */
  ready(): Promise<string[]> {
    this.opening ??= this.connectAndMigrate().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy().catch(() => undefined);
    await this.embedded?.close();
  }

  private async connectAndMigrate(): Promise<string[]> {
    await this.connect();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // All pending migrations in one transaction that first takes an advisory lock: a second
      // process waits at the lock, then finds nothing pending. On the embedded PGlite, whose
      // connections share one session, the open transaction itself keeps the others out.
      await runner.startTransaction();
      await runner.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const executor = new MigrationExecutor(this.dataSource, runner);
      executor.transaction = 'none';
      const applied = await executor.executePendingMigrations();
      await runner.commitTransaction();
      const names = applied.map((migration) => migration.name);
      this.isReady = true;
      if (names.length > 0) this.logger.log(`Applied migrations: ${names.join(', ')}`);
      return names;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async connect(): Promise<void> {
    if (this.dataSource.isInitialized) return;
    try {
      await this.dataSource.initialize();
    } catch (error) {
      throw new DatabaseUnavailableError(describeDatabaseTarget(this.dataSource), error);
    }
  }
}
