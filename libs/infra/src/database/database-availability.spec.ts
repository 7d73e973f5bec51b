import { loadConfig } from '@app/config';
import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { DatabaseAvailability } from './database-availability';
import { DatabaseLifecycle } from './database-lifecycle';
import { ReadReplicas, Replica } from './read-replicas';

/** A pool that answers with its name, or fails as a server that went away. */
function pool(name: string, state: { down: boolean; calls: string[] }): Pool {
  return {
    query: () => {
      state.calls.push(name);
      return state.down
        ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
        : Promise.resolve({ rows: [{ from: name }] });
    },
  } as unknown as Pool;
}

describe('DatabaseAvailability.read with read replicas', () => {
  const calls: string[] = [];
  const primary = { down: false, calls };
  const first = { down: false, calls };
  const second = { down: false, calls };
  let replicas: ReadReplicas;
  let sut: DatabaseAvailability;

  beforeEach(() => {
    calls.length = 0;
    [primary.down, first.down, second.down] = [false, false, false];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    // The states are set by each test; no lag check runs against these fake pools.
    jest.spyOn(ReadReplicas.prototype, 'check').mockResolvedValue();
    const dataSource = { driver: { master: pool('primary', primary) } } as unknown as DataSource;
    const lifecycle = { isReady: true } as DatabaseLifecycle;
    replicas = new ReadReplicas(
      loadConfig({
        DATABASE_URL: 'postgres://primary/x',
        DATABASE_READ_URLS: 'postgres://r1/x,postgres://r2/x',
      }),
      dataSource,
      lifecycle,
    );
    const [r1, r2] = replicas.states() as Replica[];
    Object.assign(r1, { pool: pool('replica-1', first), status: 'up' });
    Object.assign(r2, { pool: pool('replica-2', second), status: 'up' });
    sut = new DatabaseAvailability(dataSource, lifecycle, null, replicas);
  });
  afterEach(() => jest.restoreAllMocks());

  it('spreads reads over the replicas that are up', async () => {
    const from = [];
    for (let i = 0; i < 4; i++)
      from.push((await sut.read<{ from: string }>('SELECT 1', []))[0].from);
    expect(from.sort()).toEqual(['replica-1', 'replica-1', 'replica-2', 'replica-2']);
  });

  it('hands a read on to the next replica, then the primary, in the same call when they are down', async () => {
    first.down = true;
    second.down = true;
    const rows = await sut.read<{ from: string }>('SELECT 1', []);
    expect(rows).toEqual([{ from: 'primary' }]);
    expect(calls.sort()).toEqual(['primary', 'replica-1', 'replica-2']);
    // Both are skipped from now on, until a check finds them back.
    expect(replicas.states().map((replica) => replica.status)).toEqual(['down', 'down']);
    calls.length = 0;
    await sut.read('SELECT 1', []);
    expect(calls).toEqual(['primary']);
  });

  it('never reads from a replica that is lagging or not yet checked', async () => {
    const [r1, r2] = replicas.states() as Replica[];
    r1.status = 'lagging';
    r2.status = 'unknown';
    await sut.read('SELECT 1', []);
    expect(calls).toEqual(['primary']);
  });

  it('keeps writes and prepared reads (the cache version) on the primary', async () => {
    await sut.prepared('version', 'SELECT 1', []);
    expect(calls).toEqual(['primary']);
  });
});
