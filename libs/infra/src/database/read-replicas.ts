import { AppConfig } from '@app/config';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { DatabaseLifecycle } from './database-lifecycle';

/** How often each instance measures every replica's lag (one query each, one on the primary). */
export const REPLICA_CHECK_MS = 1000;
/** A replica that takes longer than this to connect or answer counts as down for that read. */
const REPLICA_CONNECT_TIMEOUT_MS = 1000;
const REPLICA_QUERY_TIMEOUT_MS = 2000;

const PRIMARY_LSN_SQL = `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS lsn`;
const REPLICA_LSN_SQL = `SELECT pg_is_in_recovery() AS recovery,
  pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::text AS lsn`;

export type ReplicaStatus = 'unknown' | 'up' | 'lagging' | 'down';

/** One read replica: its pool and what the last check (or read) found. */
export interface Replica {
  /** 1-based, in DATABASE_READ_URLS order: how logs and readiness name it (never its host). */
  readonly number: number;
  readonly pool: Pool;
  status: ReplicaStatus;
  /** How far behind the primary it was at the last check, in ms (to within REPLICA_CHECK_MS). */
  lagMs: number | null;
  /** Why it is not used, in words safe to show publicly. */
  reason: string | null;
}

/** A sample of the primary's WAL position: what a replica must have replayed to be that fresh. */
interface PrimarySample {
  at: number;
  lsn: bigint;
}

/**
 * The read replicas of DATABASE_READ_URLS: a pool each (the same size and options as the
 * primary's, connected lazily, so a replica that is down never stops the start), and their lag.
 *
 * TypeORM's own replication is not used for them: it connects to every replica when the data
 * source starts (one that is down stops the whole process) and picks one at random with no
 * health or lag check. Writes, transactions, migrations and the lookup cache's version still go
 * through TypeORM's primary pool.
 *
 * Lag: every REPLICA_CHECK_MS the primary's WAL position is sampled, then each replica's replay
 * position is read. A replica is as fresh as the newest primary sample it has replayed past, so
 * an idle primary gives lag 0 and a replica whose stream stopped falls behind even though it
 * still answers. Past DATABASE_MAX_REPLICA_LAG_MS it is skipped until it catches up.
 */
@Injectable()
export class ReadReplicas implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private readonly replicas: readonly Replica[];
  private readonly samples: PrimarySample[] = [];
  private checker: NodeJS.Timeout | undefined;
  private checking = false;
  private next = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly lifecycle: DatabaseLifecycle,
  ) {
    const { readUrls, poolSize } = config.database;
    this.replicas = readUrls.map((url, index) => {
      const pool = new Pool({
        connectionString: url,
        max: poolSize,
        connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS,
        query_timeout: REPLICA_QUERY_TIMEOUT_MS,
        application_name: 'shipment-tracking',
      });
      // An idle connection that dies (the replica stopped) must not crash the process.
      pool.on('error', () => undefined);
      return { number: index + 1, pool, status: 'unknown', lagMs: null, reason: 'not checked yet' };
    });
  }

  get enabled(): boolean {
    return this.replicas.length > 0;
  }

  /**
   * Every replica with what the last check found; starts the checks (as usable() does), so a
   * process that neither reads nor reports (the CLI) never checks.
   */
  states(): readonly Replica[] {
    this.startChecking();
    return this.replicas;
  }

  /**
   * The replicas a read may go to now, the next one in rotation first. Empty until the first
   * check has found one fresh: reads go to the primary meanwhile.
   */
  usable(): Replica[] {
    if (!this.enabled) return [];
    this.startChecking();
    const up = this.replicas.filter((replica) => replica.status === 'up');
    if (up.length < 2) return up;
    const start = this.next++ % up.length;
    return [...up.slice(start), ...up.slice(0, start)];
  }

  /** A read on this replica failed for want of the server: not used until a check finds it back. */
  markDown(replica: Replica, error: unknown): void {
    this.setState(replica, 'down', null, describeFailure(error));
  }

  private startChecking(): void {
    if (this.checker || !this.enabled) return;
    void this.check();
    this.checker = setInterval(() => void this.check(), REPLICA_CHECK_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.checker);
    await Promise.all(this.replicas.map((replica) => replica.pool.end().catch(() => undefined)));
  }

  /** One lag check of every replica against a fresh sample of the primary. Never throws. */
  async check(): Promise<void> {
    if (this.checking) return; // the previous one is still waiting on a slow server
    this.checking = true;
    try {
      const sample = await this.samplePrimary();
      await Promise.all(this.replicas.map((replica) => this.checkReplica(replica, sample)));
    } finally {
      this.checking = false;
    }
  }

  private async samplePrimary(): Promise<PrimarySample | null> {
    try {
      if (!this.lifecycle.isReady) return null;
      const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
      const at = Date.now();
      const { rows } = await pool.query<{ lsn: string }>(PRIMARY_LSN_SQL);
      const sample = { at, lsn: BigInt(rows[0].lsn.split('.')[0]) };
      this.samples.push(sample);
      // Older samples than the lag bound (and one more) can't change any decision.
      const keepFrom = at - this.config.database.maxReplicaLagMs - 2 * REPLICA_CHECK_MS;
      while (this.samples.length > 2 && this.samples[1].at < keepFrom) this.samples.shift();
      return sample;
    } catch {
      // The primary away: lag can't be measured; the replicas keep their last state.
      return null;
    }
  }

  private async checkReplica(replica: Replica, sample: PrimarySample | null): Promise<void> {
    let row: { recovery: boolean; lsn: string | null };
    try {
      ({
        rows: [row],
      } = await replica.pool.query<{ recovery: boolean; lsn: string | null }>(REPLICA_LSN_SQL));
    } catch (error) {
      this.markDown(replica, error);
      return;
    }
    if (!row.recovery || row.lsn === null) {
      // Promoted, or pointed at a primary: its data may have parted from ours.
      this.setState(replica, 'down', null, 'not a streaming replica (not in recovery)');
      return;
    }
    if (!sample) return;
    const lagMs = this.lagOf(BigInt(row.lsn.split('.')[0]), sample.at);
    const max = this.config.database.maxReplicaLagMs;
    if (lagMs > max) {
      this.setState(replica, 'lagging', lagMs, `more than ${max} ms behind the primary`);
    } else {
      this.setState(replica, 'up', lagMs, null);
    }
  }

  /** How stale a replay position is: the age of the newest primary sample it has reached. */
  private lagOf(replayed: bigint, now: number): number {
    for (let i = this.samples.length - 1; i >= 0; i--) {
      if (this.samples[i].lsn <= replayed) return now - this.samples[i].at;
    }
    // Behind every sample kept: at least as old as the oldest.
    return now - this.samples[0].at + REPLICA_CHECK_MS;
  }

  private setState(
    replica: Replica,
    status: ReplicaStatus,
    lagMs: number | null,
    reason: string | null,
  ): void {
    const was = replica.status;
    replica.status = status;
    replica.lagMs = lagMs;
    replica.reason = reason;
    if (was === status) return;
    if (status === 'up') {
      this.logger.log(`Read replica ${replica.number} is in use (${lagMs} ms behind the primary)`);
    } else if (was === 'up' || was === 'unknown') {
      this.logger.warn(
        `Read replica ${replica.number} is skipped: ${reason}; its reads go to ${
          this.replicas.some((other) => other.status === 'up')
            ? 'the other replicas'
            : 'the primary'
        }`,
      );
    }
  }
}

function describeFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return `not answering${typeof code === 'string' ? ` (${code})` : ''}`;
}
