import { loadConfig } from '@app/config';
import { Metrics, RedisConnection, WindowCounters } from '@app/infra';
import { WeatherOutcome } from '@app/weather';
import { Logger } from '@nestjs/common';
import { LookupCache } from './lookup-cache';
import { ZipAttempts } from './privacy/zip-attempts';
import {
  ShipmentNotFoundError,
  ZipAttemptsExceededError,
  ZipMismatchError,
} from './shipments.errors';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';
import { ShipmentWithHistory } from './shipment.types';
import { ReceiverWeatherService } from './weather/receiver-weather.service';

const address = (zip: string | null) => ({
  line: 'Dam 1, 1012 JS Amsterdam, Netherlands',
  zip,
  city: 'Amsterdam',
  country: 'Netherlands',
  countryCode: 'NL',
});
const shipment = (receiverZip: string | null): ShipmentWithHistory => ({
  carrier: 'DHL',
  trackingNumber: 'TN1',
  status: 'in_transit',
  carrierStatus: 'in-transit',
  sender: address('1016 AB'),
  receiver: address(receiverZip),
  articles: [],
  updatedAt: new Date(0),
  statusSince: new Date(0),
  receiverLocation: null,
  events: [],
});
const noCache = new LookupCache(
  loadConfig({ LOOKUP_CACHE_SIZE: '0' }),
  {} as ShipmentsRepository,
  new Metrics(),
);
const NO_WEATHER: WeatherOutcome = { report: null, error: 'none', failure: 'no_location' };

/** The privacy rule: who sees the street lines. */
describe(ShipmentsService.name, () => {
  const counters: WindowCounters[] = [];
  const create = (found: ShipmentWithHistory | null, env: Record<string, string> = {}) => {
    const inProcess = new WindowCounters({ available: false } as RedisConnection);
    counters.push(inProcess);
    return new ShipmentsService(
      {
        findForLookup: () => Promise.resolve(found && { record: found, version: '1' }),
      } as unknown as ShipmentsRepository,
      { forShipment: () => Promise.resolve(NO_WEATHER) } as unknown as ReceiverWeatherService,
      new ZipAttempts(inProcess, loadConfig(env), new Metrics()),
      noCache,
    );
  };
  afterAll(() => counters.forEach((counter) => counter.onModuleDestroy()));

  it.each([
    ['anyone, without a zip', { operator: false }, false],
    ['an operator, without a zip', { operator: true }, true],
    [
      'the receiver, with the zip in any case and spacing',
      { operator: false, zip: ' 1012js ' },
      true,
    ],
    [
      'an operator with a wrong zip (the key is the proof)',
      { operator: true, zip: '9999 ZZ' },
      true,
    ],
  ])('reveals the street lines to %s: %j -> %s', async (_, access, reveal) => {
    const lookup = await create(shipment('1012 JS')).lookup('DHL', 'TN1', access);
    expect(lookup.revealAddresses).toBe(reveal);
  });

  it.each([
    ['PL', '31-042', '31042'],
    ['LV', '1050', 'LV-1050'],
    ['BR', '01310-100', '01310100'],
  ])(
    'compares a %s zip in its canonical form (%j typed as %j)',
    async (countryCode, stored, typed) => {
      const found = { ...shipment(stored), receiver: { ...address(stored), countryCode } };
      const lookup = await create(found).lookup('DHL', 'TN1', { operator: false, zip: typed });
      expect(lookup.revealAddresses).toBe(true);
      await expect(
        create(found).lookup('DHL', 'TN1', { operator: false, zip: '99999' }),
      ).rejects.toThrow(ZipMismatchError);
    },
  );

  it('refuses a wrong zip (403), and any zip when the receiver has no postcode', async () => {
    await expect(
      create(shipment('1012 JS')).lookup('DHL', 'TN1', { operator: false, zip: '1012 JT' }),
    ).rejects.toBeInstanceOf(ZipMismatchError);
    await expect(
      create(shipment(null)).lookup('DHL', 'TN1', { operator: false, zip: '' }),
    ).rejects.toBeInstanceOf(ZipMismatchError);
  });

  it('says which shipment is not there, trimmed', async () => {
    await expect(create(null).lookup(' DHL ', ' TN9 ', { operator: false })).rejects.toEqual(
      new ShipmentNotFoundError('DHL', 'TN9'),
    );
  });
});

/** The zip gate's lock-out: brute force stops after a few wrong zips, the right zip too. */
describe(`${ShipmentsService.name} zip attempts`, () => {
  const counters: WindowCounters[] = [];
  let warn: jest.SpyInstance;
  const create = (env: Record<string, string> = {}) => {
    const inProcess = new WindowCounters({ available: false } as RedisConnection);
    counters.push(inProcess);
    return new ShipmentsService(
      {
        findForLookup: () => Promise.resolve({ record: shipment('1012 JS'), version: '1' }),
      } as unknown as ShipmentsRepository,
      { forShipment: () => Promise.resolve(NO_WEATHER) } as unknown as ReceiverWeatherService,
      new ZipAttempts(inProcess, loadConfig(env), new Metrics()),
      noCache,
    );
  };
  const tryZip = (sut: ShipmentsService, zip: string, client = '203.0.113.7') =>
    sut.lookup('DHL', 'TN1', { operator: false, zip, client }).then(
      () => 'full',
      (error: Error) => error.name,
    );
  beforeEach(
    () => (warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined)),
  );
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => counters.forEach((counter) => counter.onModuleDestroy()));

  it('locks one client out after ZIP_ATTEMPTS_PER_CLIENT wrong zips, even for the right one', async () => {
    const sut = create({ ZIP_ATTEMPTS_PER_CLIENT: '3' });
    for (let i = 0; i < 3; i++) expect(await tryZip(sut, '9999 ZZ')).toBe('ZipMismatchError');
    expect(await tryZip(sut, '1012 JS')).toBe('ZipAttemptsExceededError');
    expect(await tryZip(sut, '1012 JS', '198.51.100.1')).toBe('full');
    const error = await sut
      .lookup('DHL', 'TN1', { operator: false, zip: '1012 JS', client: '203.0.113.7' })
      .catch((caught: ZipAttemptsExceededError) => caught);
    expect(error).toMatchObject({ scope: 'client' });
    expect((error as ZipAttemptsExceededError).retryAfterSeconds).toBeGreaterThan(14 * 60);
    // The lookup without a zip, and an operator, are not locked out.
    await expect(
      sut.lookup('DHL', 'TN1', { operator: false, client: '203.0.113.7' }),
    ).resolves.toMatchObject({ revealAddresses: false });
    await expect(
      sut.lookup('DHL', 'TN1', { operator: true, zip: '1', client: '203.0.113.7' }),
    ).resolves.toMatchObject({ revealAddresses: true });
  });

  it('logs each lock-out once, with client and shipment and never the zips tried', async () => {
    const sut = create({ ZIP_ATTEMPTS_PER_CLIENT: '2' });
    for (let i = 0; i < 6; i++) await tryZip(sut, `0000 A${i}`);
    expect(warn).toHaveBeenCalledTimes(1);
    const event = warn.mock.calls[0][0] as Record<string, unknown>;
    expect(event).toMatchObject({
      event: 'zip_lockout',
      scope: 'client',
      client: '203.0.113.7',
      carrier: 'DHL',
      trackingNumber: 'TN1',
    });
    expect(JSON.stringify(event)).not.toMatch(/0000|A\d/);
  });

  it('does not count the right zip as a wrong attempt', async () => {
    const sut = create({ ZIP_ATTEMPTS_PER_CLIENT: '2' });
    for (let i = 0; i < 5; i++) expect(await tryZip(sut, '1012JS')).toBe('full');
    expect(await tryZip(sut, 'nope')).toBe('ZipMismatchError');
    expect(await tryZip(sut, '1012 js')).toBe('full');
  });

  it('locks the shipment for everyone after ZIP_ATTEMPTS_PER_SHIPMENT wrong zips from many clients', async () => {
    const sut = create({ ZIP_ATTEMPTS_PER_SHIPMENT: '4' });
    for (let i = 0; i < 4; i++) await tryZip(sut, 'nope', `192.0.2.${i}`);
    expect(await tryZip(sut, '1012 JS', '192.0.2.200')).toBe('ZipAttemptsExceededError');
  });

  it('lets no more than the limit through from a burst of parallel guesses', async () => {
    const sut = create({ ZIP_ATTEMPTS_PER_CLIENT: '5' });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => tryZip(sut, String(10000 + i))),
    );
    expect(results.filter((result) => result === 'ZipMismatchError')).toHaveLength(5);
    expect(results.filter((result) => result === 'ZipAttemptsExceededError')).toHaveLength(35);
  });
});
