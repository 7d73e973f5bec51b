import { ImportModule, ShipmentImporter } from '@app/import';
import { ShipmentsRepository } from '@app/shipments';
import { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../support/database';
import { startTestModule } from '../support/modules';
import { fixture } from '../support/paths';

/** Files as operators export them: the database must hold the same characters and numbers. */
describe('import of operator files', () => {
  let db: TestDatabase;
  let module: TestingModule;
  let sut: ShipmentImporter;
  let shipments: ShipmentsRepository;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    module = await startTestModule(db.config(), ImportModule);
    sut = module.get(ShipmentImporter);
    shipments = module.get(ShipmentsRepository);
    dataSource = module.get(DataSource);
  });

  afterAll(async () => {
    await module?.close();
    await db?.drop();
  });

  beforeEach(async () => {
    // The import module connects on its first query.
    if (dataSource.isInitialized) await dataSource.query('TRUNCATE shipments CASCADE');
  });

  const articles = async (): Promise<{ name: string; price: string }[]> =>
    dataSource.query('SELECT name, price::text AS price FROM articles ORDER BY sku');

  it.each([
    ['latin1.csv', 'windows-1252', 1],
    ['utf8-bom.csv', 'utf8', 0],
    ['utf16le-bom.csv', 'utf16le', 0],
    ['utf16be-bom.csv', 'utf16be', 0],
    ['semicolon-decimal-comma.csv', 'utf8', 0],
    ['tab-separated.tsv', 'utf8', 0],
    ['pipe-separated.csv', 'utf8', 0],
    ['spaced-headers.csv', 'utf8', 0],
  ])('imports %s (%s) with the right characters', async (file, encoding, warnings) => {
    const report = await sut.import(fixture(`operator-files/${file}`));
    expect(report).toMatchObject({
      encoding,
      rowsRejected: 0,
      shipmentsCreated: 2,
      articlesCreated: 3,
      warningCount: warnings,
    });
    const shipment = (await shipments.findByCarrierAndTrackingNumber('DHL', 'TNK100'))!;
    expect(shipment.sender).toMatchObject({ city: 'Köln', zip: '50667', countryCode: 'DE' });
    expect(shipment.receiver).toMatchObject({ city: 'Zürich', zip: '8001', countryCode: 'CH' });
    const stored = await articles();
    expect(stored.map((a) => a.name)).toEqual(['Café crème', 'Grüne Tasse', 'Kühlschrank']);
    expect(stored.map((a) => a.price)).toEqual(['4.50', '12.00', '799.99']);
    const text = JSON.stringify(await dataSource.query('SELECT * FROM shipments'));
    expect(text).not.toContain('\uFFFD');
  });

  it('warns once for a file read as Windows-1252, naming the first line and --encoding', async () => {
    const report = await sut.import(fixture('operator-files/windows-1252.csv'));
    expect(report.warnings).toEqual([
      {
        line: 2,
        message: expect.stringMatching(
          /^this line is not UTF-8 and the file has no BOM, so the file is read as Windows-1252; if that is wrong, choose the encoding with --encoding \(utf8, .*windows-1252, \.\.\.\)$/,
        ),
      },
    ]);
    expect((await articles()).map((a) => a.name)).toEqual([
      'Kaffee „Spezial“ – 250 g',
      'Grüne Tasse €',
      'Kühlschrank',
    ]);
  });

  it('refuses thousands separators, saying why and what to write', async () => {
    const report = await sut.import(fixture('operator-files/thousands-separators.csv'));
    expect(report.errors).toEqual([
      {
        line: 2,
        message:
          'article_price has a thousands separator (got "1.000,50"), which can\'t be told from a decimal mark; write 1000.50',
      },
      {
        line: 3,
        message:
          'article_price has a thousands separator (got "1,000.50"), which can\'t be told from a decimal mark; write 1000.50',
      },
    ]);
    expect(report.shipmentsCreated).toBe(1);
  });

  it('warns when rows of one shipment disagree, naming both lines; the last row wins', async () => {
    const report = await sut.import(fixture('operator-files/disagreeing-rows.csv'));
    expect(report.warnings).toEqual([
      {
        line: 3,
        message:
          'shipment DHL TND1: this row disagrees with the receiver_address of line 2 and the status of line 2; the last row wins',
      },
      {
        line: 4,
        message:
          'shipment DHL TND1: this row disagrees with the status of line 3; the last row wins',
      },
    ]);
    const shipment = (await shipments.findByCarrierAndTrackingNumber('DHL', 'TND1'))!;
    expect(shipment).toMatchObject({ carrierStatus: 'delivered', receiver: { city: 'Lyon' } });
  });
});
