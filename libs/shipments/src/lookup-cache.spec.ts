import { loadConfig } from '@app/config';
import { Metrics } from '@app/infra';
import { Logger } from '@nestjs/common';
import { FRESHNESS_MS, LookupCache, VERSION_POLL_MS } from './lookup-cache';
import { ShipmentsRepository, VersionedRecord } from './shipments.repository';
import { ShipmentWithHistory } from './shipment.types';

const record = (status: string) => ({ carrier: 'DHL', status }) as unknown as ShipmentWithHistory;

/** The freshness bound, on a fake clock: what is served, and when the database is asked. */
describe(LookupCache.name, () => {
  let version: () => Promise<string>;
  let cache: LookupCache;
  let loads: number;
  let stored: ShipmentWithHistory;
  /** The version the data was read at (a replica's may be behind the polled one). */
  let dataVersion: string;
  const load = () => {
    loads++;
    return Promise.resolve({ record: stored, version: dataVersion });
  };
  /** Lets the clock run `ms` and the promises it releases settle. */
  const elapse = async (ms: number) => {
    await jest.advanceTimersByTimeAsync(ms);
  };
  const create = (env: Record<string, string> = {}) => {
    cache = new LookupCache(
      loadConfig(env),
      { version: () => version() } as unknown as ShipmentsRepository,
      new Metrics(),
    );
    return cache;
  };

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    jest.spyOn(Logger.prototype, 'log').mockImplementation();
    version = () => Promise.resolve('1');
    loads = 0;
    stored = record('in_transit');
    dataVersion = '1';
  });
  afterEach(() => {
    cache.onModuleDestroy();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('asks the database once for repeated lookups, once the version is confirmed', async () => {
    create();
    await cache.find('DHL', 'TN1', load); // starts the version polling; not yet confirmed
    await elapse(0);
    for (let i = 0; i < 5; i++) await cache.find('DHL', 'TN1', load);
    expect(loads).toBe(2);
    // Keys are exact: another spelling is another entry (the database decides what matches).
    await cache.find('dhl', 'TN1', load);
    expect(loads).toBe(3);
  });

  it('drops everything at the first poll after an import moved the version', async () => {
    create();
    await cache.find('DHL', 'TN1', load);
    await elapse(0);
    await cache.find('DHL', 'TN1', load);
    stored = record('delivered');
    dataVersion = '2';
    version = () => Promise.resolve('2');
    await elapse(VERSION_POLL_MS);
    expect((await cache.find('DHL', 'TN1', load))?.status).toBe('delivered');
  });

  it.each([
    ['fails', () => Promise.reject(new Error('connection terminated'))],
    ['hangs', () => new Promise<string>(() => undefined)],
  ])(
    'goes to the database while the version read %s, and uses the cache again once it answers',
    async (_, broken) => {
      create();
      await cache.find('DHL', 'TN1', load); // not confirmed yet: from the database
      await elapse(0);
      await cache.find('DHL', 'TN1', load); // kept
      expect(loads).toBe(2);
      version = broken;
      // Served from memory only while a read sent under FRESHNESS_MS - VERSION_POLL_MS ago answered.
      await elapse(FRESHNESS_MS - VERSION_POLL_MS - 1);
      await cache.find('DHL', 'TN1', load);
      expect(loads).toBe(2);
      await elapse(1);
      await cache.find('DHL', 'TN1', load);
      await cache.find('DHL', 'TN1', load);
      expect(loads).toBe(4);
      let resume: (value: string) => void = () => undefined;
      let answered = false;
      version = () =>
        answered ? Promise.resolve('1') : new Promise((resolve) => (resume = resolve));
      await elapse(VERSION_POLL_MS * 4);
      answered = true;
      resume('1');
      await elapse(VERSION_POLL_MS);
      await cache.find('DHL', 'TN1', load);
      await cache.find('DHL', 'TN1', load);
      expect(loads).toBe(4); // the same version: what was kept is still right
    },
  );

  it('does not keep what a read started before the drop brought back', async () => {
    create();
    await cache.find('DHL', 'TN1', load);
    await elapse(0);
    let finish: (value: VersionedRecord) => void = () => undefined;
    const slow = cache.find('DHL', 'TN2', () => new Promise((resolve) => (finish = resolve)));
    version = () => Promise.resolve('2'); // an import commits while that read is under way
    await elapse(VERSION_POLL_MS);
    finish({ record: record('before the import'), version: '1' });
    await slow;
    stored = record('after the import');
    expect((await cache.find('DHL', 'TN2', load))?.status).toBe('after the import');
  });

  it('does not keep a record read at another version than the polled one (a replica behind)', async () => {
    create();
    await cache.find('DHL', 'TN1', load);
    await elapse(0);
    dataVersion = '0'; // the replica has not replayed the last import yet
    await cache.find('DHL', 'TN1', load);
    await cache.find('DHL', 'TN1', load);
    expect(loads).toBe(3);
    dataVersion = '1'; // caught up: kept from now on
    await cache.find('DHL', 'TN1', load);
    await cache.find('DHL', 'TN1', load);
    expect(loads).toBe(4);
  });

  it('keeps nothing with LOOKUP_CACHE_SIZE=0, and never polls', async () => {
    const polls = jest.fn(() => Promise.resolve('1'));
    version = polls;
    create({ LOOKUP_CACHE_SIZE: '0' });
    for (let i = 0; i < 3; i++) await cache.find('DHL', 'TN1', load);
    await elapse(VERSION_POLL_MS * 4);
    expect(loads).toBe(3);
    expect(polls).not.toHaveBeenCalled();
  });
});
