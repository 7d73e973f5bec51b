import { DatabaseLifecycle } from '@app/infra';
import {
  MANAGED_COLUMNS,
  MIGRATIONS,
  SHIPMENT_COLUMNS,
  ShipmentsModule,
  ShipmentsRepository,
} from '@app/shipments';
import { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { adminDatabaseUrl } from '../support/database-admin';
import { createTestDatabase, TestDatabase } from '../support/database';
import { startTestModule } from '../support/modules';

const startModule = (db: TestDatabase, env: Record<string, string> = {}): Promise<TestingModule> =>
  startTestModule(db.config(env), ShipmentsModule);

const address = (
  line: string,
  zip: string | null,
  city: string | null,
  country: string | null,
  countryCode: string | null,
) => ({
  line,
  zip,
  city,
  country,
  countryCode,
});
const paris = address('Street 10, 75001 Paris, France', '75001', 'Paris', 'France', 'FR');
const berlin = address('Street 1, 10115 Berlin, Germany', '10115', 'Berlin', 'Germany', 'DE');

describe(DatabaseLifecycle.name, () => {
  let db: TestDatabase;
  const modules: TestingModule[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await Promise.all(modules.map((module) => module.close()));
    await db.drop();
  });

  // The advisory lock is what this is about: PGlite's single session can't take it concurrently.
  const onServer = adminDatabaseUrl()
    ? it
    : (name: string, test: () => Promise<void>) =>
        it.skip(`${name} (skipped: needs a PostgreSQL server; set TEST_DATABASE_ADMIN_URL)`, test);

  onServer(
    'lets two processes migrate an empty database at once, applying each migration once',
    async () => {
      modules.push(await startModule(db), await startModule(db));
      const results = await Promise.all(
        modules.map((module) => module.get(DatabaseLifecycle).ready()),
      );
      expect(results.flat()).toEqual(MIGRATIONS.map((migration) => migration.name));
      const applied = await modules[0].get(DataSource).query('SELECT name FROM migrations');
      expect(applied).toHaveLength(MIGRATIONS.length);
    },
  );

  it('names the database it cannot reach, without the password', async () => {
    const unreachable = await startModule(db, {
      DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:1/nowhere',
    });
    const migrate = unreachable.get(ShipmentsRepository).findFirstKey();
    await expect(migrate).rejects.toThrow(
      /^Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/nowhere: /,
    );
    await expect(migrate).rejects.not.toThrow(/s3cret/);
    await unreachable.close();
  });
});

describe(ShipmentsRepository.name, () => {
  let db: TestDatabase;
  let module: TestingModule;
  let sut: ShipmentsRepository;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    module = await startModule(db);
    sut = module.get(ShipmentsRepository);
    dataSource = module.get(DataSource);
    await sut.upsertMany(
      ['DHL', 'UPS', 'DHL'].map((carrier, i) => ({
        carrier,
        trackingNumber: `TN${i}`,
        carrierStatus: i === 1 ? 'delivered' : 'in-transit',
        sender: berlin,
        receiver: paris,
        articles: [{ sku: `S${i}`, name: 'Thing', quantity: 2, price: '9.99' }],
      })),
    );
  });
  afterAll(async () => {
    await module.close();
    await db.drop();
  });

  it('has exactly the columns the one schema definition names (SHIPMENT_COLUMNS)', async () => {
    const rows: { column_name: string }[] = await dataSource.query(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'shipments'`,
    );
    expect(rows.map((row) => row.column_name).sort()).toEqual(
      [...SHIPMENT_COLUMNS.map((column) => column.name), ...MANAGED_COLUMNS].sort(),
    );
  });

  it('finds a shipment ignoring case and surrounding whitespace, with articles in one query', async () => {
    const found = await sut.findByCarrierAndTrackingNumber('  dhl ', ' tn0 ');
    expect(found).toMatchObject({
      carrier: 'DHL',
      trackingNumber: 'TN0',
      status: 'in_transit',
      receiver: paris,
      articles: [{ sku: 'S0', name: 'Thing', quantity: 2, price: 9.99 }],
    });
    expect(await sut.findByCarrierAndTrackingNumber('DHL', 'TN1')).toBeNull();
  });

  it('lists with filters and paging', async () => {
    expect((await sut.list({ offset: 0, limit: 2 })).items.map((s) => s.trackingNumber)).toEqual([
      'TN0',
      'TN1',
    ]);
    expect(await sut.list({ offset: 2, limit: 2 })).toMatchObject({
      total: 3,
      items: [{ trackingNumber: 'TN2' }],
    });
    expect((await sut.list({ carrier: 'dhl', offset: 0, limit: 10 })).total).toBe(2);
    expect(
      (await sut.list({ status: 'delivered', offset: 0, limit: 10 })).items.map((s) => s.carrier),
    ).toEqual(['UPS']);
  });

  it.each([
    [
      'a zero quantity',
      `INSERT INTO articles (shipment_id, sku, name, quantity, price) SELECT id, 'X', 'x', 0, 1 FROM shipments LIMIT 1`,
    ],
    [
      'a negative price',
      `INSERT INTO articles (shipment_id, sku, name, quantity, price) SELECT id, 'X', 'x', 1, -1 FROM shipments LIMIT 1`,
    ],
    [
      'a duplicate sku',
      `INSERT INTO articles (shipment_id, sku, name, quantity, price) SELECT id, 'S0', 'x', 1, 1 FROM shipments WHERE tracking_number = 'TN0'`,
    ],
    [
      'a carrier differing only in case',
      `INSERT INTO shipments (carrier, tracking_number, status, carrier_status, sender_address, receiver_address)
       VALUES ('dhl', 'tn0', 'unknown', '', 'a', 'b')`,
    ],
    [
      'an empty tracking number',
      `INSERT INTO shipments (carrier, tracking_number, status, carrier_status, sender_address, receiver_address) VALUES ('X', ' ', 'unknown', '', 'a', 'b')`,
    ],
  ])('is refused by the database: %s', async (_, sql) => {
    await expect(dataSource.query(sql)).rejects.toThrow(/violates/);
  });
});
