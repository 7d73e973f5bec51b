import { loadConfig } from '@app/config';
import { REPLICA_CHECK_MS } from '@app/infra';
import { MIGRATIONS } from '@app/shipments';
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApiApp, importFile } from '../support/api-app';
import { OFFLINE_WEATHER } from '../support/database';
import {
  describeWithOwnServers,
  OwnPostgres,
  startOwnPostgres,
  startOwnReplica,
} from '../support/own-servers';
import { SAMPLE_CSV } from '../support/paths';

const KEY = 'replica-test-operator-key';
const LOOKUP = '/api/v1/shipments/DHL/TN12345678';
const MAX_LAG_MS = 1500;

/**
 * A real streaming replica on loopback: a throwaway primary (initdb) and a hot standby made from
 * it with `pg_basebackup -R`. Lookups and the list read from the replica, writes go to the
 * primary, and a replica that lags or stops is skipped within the same request.
 */
describeWithOwnServers('Read replicas (own primary and streaming replica)', ['postgres'], () => {
  let primary: OwnPostgres;
  let replica: OwnPostgres;
  let app: INestApplication;
  let admin: Client;
  let standby: Client | undefined;

  const http = () => request(app.getHttpServer());
  const status = async () => {
    const res = await http().get(LOOKUP).expect(200);
    return (res.body as { status: string }).status;
  };
  const listed = async () => {
    const res = await http().get('/api/v1/shipments').set('X-API-Key', KEY).expect(200);
    const items = (res.body as { items: { trackingNumber: string; status: string }[] }).items;
    return items.find((item) => item.trackingNumber === 'TN12345678')?.status;
  };
  const replicaCheck = async () =>
    (
      (await http().get('/health/ready').expect(200)).body as {
        details: Record<string, { status: string; message?: string; lagMs?: number }>;
      }
    ).details['replica-1'];
  const until = async (what: () => Promise<boolean>, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!(await what())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const connectStandby = async () => {
    standby = new Client({ connectionString: replica.url });
    await standby.connect();
    return standby;
  };

  beforeAll(async () => {
    primary = await startOwnPostgres();
    const migrate = new DataSource({ type: 'postgres', url: primary.url, migrations: MIGRATIONS });
    await migrate.initialize();
    await migrate.runMigrations().finally(() => migrate.destroy());
    replica = await startOwnReplica(primary);
    const config = loadConfig({
      DATABASE_URL: primary.url,
      DATABASE_READ_URLS: replica.url,
      DATABASE_MAX_REPLICA_LAG_MS: String(MAX_LAG_MS),
      // Every lookup reaches the database, so where it reads from shows.
      LOOKUP_CACHE_SIZE: '0',
      API_KEYS: KEY,
      ...OFFLINE_WEATHER,
    });
    // Writes go to the primary: on the standby this import would fail (read-only).
    await importFile(config, SAMPLE_CSV);
    admin = new Client({ connectionString: primary.url });
    await admin.connect();
    app = await createApiApp(config);
    await until(async () => (await replicaCheck()).status === 'up');
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await admin?.end();
    await standby?.end().catch(() => undefined);
    await replica?.destroy();
    await primary?.destroy();
  });

  it('reports the replica with its lag in readiness, and reads lookups and the list from it', async () => {
    expect(await replicaCheck()).toEqual({ status: 'up', lagMs: expect.any(Number) });
    const standbyClient = await connectStandby();
    // Replay paused: the replica keeps the old status while the primary changes it.
    await standbyClient.query('SELECT pg_wal_replay_pause()');
    try {
      await admin.query(
        `UPDATE shipments SET status = 'delivered' WHERE tracking_number = 'TN12345678'`,
      );
      expect(await status()).toBe('in_transit');
      expect(await listed()).toBe('in_transit');
      const { rows } = await admin.query(
        `SELECT status FROM shipments WHERE tracking_number = 'TN12345678'`,
      );
      expect(rows[0].status).toBe('delivered');

      // Past DATABASE_MAX_REPLICA_LAG_MS it is skipped: reads go to the primary, still ready.
      await until(
        async () => (await replicaCheck()).status === 'down',
        MAX_LAG_MS + 10 * REPLICA_CHECK_MS,
      );
      expect(await replicaCheck()).toMatchObject({
        status: 'down',
        message: `more than ${MAX_LAG_MS} ms behind the primary`,
      });
      expect(await status()).toBe('delivered');
      expect(await listed()).toBe('delivered');
    } finally {
      await standbyClient.query('SELECT pg_wal_replay_resume()');
    }
    // Caught up: in use again.
    await until(async () => (await replicaCheck()).status === 'up');
    await admin.query(
      `UPDATE shipments SET status = 'in_transit' WHERE tracking_number = 'TN12345678'`,
    );
  });

  it('falls back to the primary within the same request when the replica stops, and uses it again once back', async () => {
    await standby?.end().catch(() => undefined);
    standby = undefined;
    await until(async () => (await status()) === 'in_transit');
    expect((await replicaCheck()).status).toBe('up');
    await replica.stop();
    // The first reads after the stop: the replica still counts as up, the read fails on it and
    // is answered by the primary, never a 5xx.
    for (let i = 0; i < 5; i++) expect(await status()).toBe('in_transit');
    await listed();
    expect(await replicaCheck()).toMatchObject({
      status: 'down',
      message: expect.stringMatching(/^not answering/),
    });
    await replica.start();
    await until(async () => (await replicaCheck()).status === 'up');
    expect(await status()).toBe('in_transit');
  });
});
