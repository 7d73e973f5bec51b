import { Injectable, Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';
import { DatabaseUnavailableError } from '../shipments.errors';
import { describeDatabaseTarget } from './database-availability';

/** Arbitrary but fixed: every process of this service takes the same advisory lock to migrate. */
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Connects the data source and applies pending migrations under a Postgres advisory lock, so two
 * processes starting at once migrate one after the other instead of racing.
 */
@Injectable()
export class DatabaseMigrator {
  private readonly logger = new Logger(DatabaseMigrator.name);
  private ready?: Promise<string[]>;

  constructor(private readonly dataSource: DataSource) {}

  /** Idempotent: the first call connects and migrates, later calls share its result. */
  migrate(): Promise<string[]> {
    this.ready ??= this.connectAndMigrate().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
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
