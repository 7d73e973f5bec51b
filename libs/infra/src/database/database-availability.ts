import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { EMBEDDED_DATABASE, EmbeddedDatabase } from './embedded-postgres';
import { DatabaseLifecycle } from './database-lifecycle';
import { DatabaseUnavailableError } from './database.errors';
import { describeDatabaseTarget } from './database-target';
import { ReadReplicas } from './read-replicas';

/**
 * SQLSTATE classes and codes that mean "the server is not there for us", not "the query is
 * wrong": connection exceptions (08), shutdown and start-up (57P01-57P03), too many connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
const UNAVAILABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** What node-postgres says when a connection dies or can't be had in time. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down|in recovery mode)/i;

/** Whether an error means the database can't be reached (as opposed to a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (code.startsWith('08')) return true;
  }
  const message = cause instanceof Error ? cause.message : '';
  return UNAVAILABLE_MESSAGES.test(message);
}

/**
 * Every query of the repositories goes through here: it waits for the schema (DatabaseLifecycle)
 * and classifies failures. A database that went away turns into one
 * DatabaseUnavailableError (the API answers 503 with Retry-After) and one log line when it goes,
 * one when it is back: not an ERROR with a stack per request.
 */
@Injectable()
export class DatabaseAvailability {
  private readonly logger = new Logger('Database');
  private downSince: number | null = null;

  /**
   * Named statements need a backend per connection. The embedded PGlite is one backend behind
   * all the socket's connections, where a second connection's Parse of the same name fails
   * ("prepared statement already exists"): there, and wherever that is found, they go unnamed.
   */
  private namesStatements: boolean;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lifecycle: DatabaseLifecycle,
    @Inject(EMBEDDED_DATABASE) embedded: EmbeddedDatabase | null,
    private readonly replicas: ReadReplicas,
  ) {
    this.namesStatements = embedded === null;
  }

  query<T>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.run(() => this.dataSource.query<T>(sql, parameters));
  }

  /**
   * A hot read as a named prepared statement, straight on the driver's pool: PostgreSQL parses
   * and plans it once per pooled connection instead of on every call (on 2 cores that is about
   * half the database's work for a one-row lookup). `name` must be unique to `sql`. Always on
   * the primary (the lookup cache's version must never be behind).
   */
  prepared<T>(name: string, sql: string, parameters: unknown[]): Promise<T[]> {
    return this.run(() => this.send<T>(this.primaryPool(), sql, parameters, name));
  }

  /**
   * A read that may be a little behind (lookups, the list): from a read replica when
   * DATABASE_READ_URLS names some that are up and fresh, else from the primary. A replica that
   * fails under the read is skipped from then on and the read goes to the next one, then to the
   * primary, in the same call: a replica never turns a read into an error. `name`: as prepared().
   */
  async read<T>(sql: string, parameters: unknown[], name?: string): Promise<T[]> {
    if (this.lifecycle.isReady) {
      for (const replica of this.replicas.usable()) {
        try {
          return await this.send<T>(replica.pool, sql, parameters, name);
        } catch (error) {
          // A bad query fails on the primary too and says so there; a replica that went away
          // (or cancelled the read for a recovery conflict) just hands it on.
          if (isDatabaseUnavailable(error)) this.replicas.markDown(replica, error);
        }
      }
    }
    return this.run(() => this.send<T>(this.primaryPool(), sql, parameters, name));
  }

  private primaryPool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /**
   * Named prepared statements need a backend per connection. A failed call discards its
   * connection (pg-pool's rule), so a statement PostgreSQL no longer accepts (a migration changed
   * a result type) costs one error, then is prepared afresh.
   */
  private async send<T>(
    pool: Pool,
    sql: string,
    parameters: unknown[],
    name: string | undefined,
  ): Promise<T[]> {
    const query = async (named: boolean) =>
      (
        await pool.query<T & QueryResultRow>({
          name: named ? name : undefined,
          text: sql,
          values: parameters,
        })
      ).rows;
    if (!name || !this.namesStatements) return query(false);
    try {
      return await query(true);
    } catch (error) {
      // Connections that share one backend (a PGlite socket server, a transaction pooler):
      // the name is taken, or the statement was prepared on another backend.
      const code = (error as { code?: string }).code;
      if (code !== '42P05' && code !== '26000') throw error;
      this.namesStatements = false;
      this.logger.warn(
        `PostgreSQL refused a named statement (${code}): its connections share a backend, so hot reads are sent unnamed`,
      );
      return query(false);
    }
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      // Once migrated, no extra await on the hot path.
      if (!this.lifecycle.isReady) await this.lifecycle.ready();
      result = await work();
    } catch (error) {
      // Never connected (ready() failed): the caller reports that; it's not "gone away".
      if (error instanceof DatabaseUnavailableError || !isDatabaseUnavailable(error)) throw error;
      this.markDown(error);
      throw new DatabaseUnavailableError(describeDatabaseTarget(this.dataSource), error);
    }
    this.markUp();
    return result;
  }

  private markDown(error: unknown): void {
    if (this.downSince !== null) return;
    this.downSince = Date.now();
    const reason =
      (error as { code?: string }).code ?? (error instanceof Error ? error.message : 'no answer');
    this.logger.warn(
      `PostgreSQL at ${describeDatabaseTarget(this.dataSource)} is unavailable (${reason}): ` +
        'requests that need it answer 503 until it is back',
    );
  }

  private markUp(): void {
    if (this.downSince === null) return;
    const seconds = Math.round((Date.now() - this.downSince) / 1000);
    this.downSince = null;
    this.logger.log(
      `PostgreSQL at ${describeDatabaseTarget(this.dataSource)} is available again after ${seconds} s`,
    );
  }
}
