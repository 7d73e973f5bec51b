import { ImportFileError, ShipmentImporter } from '@app/import';
import { useImportBed } from '../support/import-bed';
import { fixture, SAMPLE_CSV } from '../support/paths';

describe(ShipmentImporter.name, () => {
  const bed = useImportBed();

  const count = async (table: string): Promise<number> =>
    Number((await bed.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('writes nothing on a dry run, not even the schema', async () => {
    const report = await bed.importer.import(SAMPLE_CSV, { dryRun: true });
    expect(report).toMatchObject({
      dryRun: true,
      rowsRead: 9,
      rowsRejected: 0,
      shipmentsInFile: 5,
      articlesInFile: 9,
    });
    expect(bed.dataSource.isInitialized).toBe(false);
  });

  it('imports the sample as 5 shipments and 9 articles, migrating first', async () => {
    const report = await bed.importer.import(SAMPLE_CSV);
    expect(report).toMatchObject({
      rowsRead: 9,
      rowsRejected: 0,
      shipmentsCreated: 5,
      articlesCreated: 9,
      errorCount: 0,
      warningCount: 0,
    });
    expect(await count('shipments')).toBe(5);
    expect(await count('articles')).toBe(9);
    const shipment = (await bed.shipments.findByCarrierAndTrackingNumber('DPD', 'TN12345680'))!;
    expect(shipment).toMatchObject({
      status: 'out_for_delivery',
      carrierStatus: 'delivery',
      receiver: { zip: '28013', city: 'Madrid', country: 'Spain', countryCode: 'ES' },
    });
    expect(shipment.articles.map((a) => a.sku)).toEqual(['KB012', 'MO456']);
  });

  it('changes nothing when the same file is imported again', async () => {
    await bed.importer.import(SAMPLE_CSV);
    const before = await bed.dataSource.query('SELECT id, updated_at FROM shipments ORDER BY id');
    const report = await bed.importer.import(SAMPLE_CSV);
    expect(report).toMatchObject({
      shipmentsCreated: 0,
      shipmentsUpdated: 0,
      shipmentsUnchanged: 5,
      articlesCreated: 0,
      articlesUpdated: 0,
      articlesUnchanged: 9,
    });
    expect(await bed.dataSource.query('SELECT id, updated_at FROM shipments ORDER BY id')).toEqual(
      before,
    );
    expect(await count('articles')).toBe(9);
  });

  it('updates a changed status and article in place', async () => {
    const row = (status: string, price: string) =>
      `TN1,DHL,"Street 1, 10115 Berlin, Germany","Street 10, 75001 Paris, France",Laptop,1,${price},LP1,${status}`;
    await bed.importer.import(await bed.csv('v1.csv', [row('in-transit', '800')]));
    const report = await bed.importer.import(await bed.csv('v2.csv', [row('delivered', '750.50')]));
    expect(report).toMatchObject({
      shipmentsUpdated: 1,
      articlesUpdated: 1,
      shipmentsCreated: 0,
      articlesCreated: 0,
    });
    const shipment = (await bed.shipments.findByCarrierAndTrackingNumber('dhl', 'tn1'))!;
    expect(shipment.status).toBe('delivered');
    expect(Number(shipment.articles[0].price)).toBe(750.5);
    expect(await count('shipments')).toBe(1);
  });

  it('keeps the same tracking number under two carriers apart, and one carrier in any case together', async () => {
    const path = await bed.csv('carriers.csv', [
      'TN7,DHL,"A 1, 10115 Berlin, Germany","B 2, 75001 Paris, France",Pen,1,1,P1,transit',
      'TN7,UPS,"A 1, 10115 Berlin, Germany","B 2, 75001 Paris, France",Pen,1,1,P1,transit',
      'tn7,dhl,"A 1, 10115 Berlin, Germany","B 2, 75001 Paris, France",Cup,1,2,C1,transit',
    ]);
    const report = await bed.importer.import(path);
    expect(report).toMatchObject({ shipmentsCreated: 2, articlesCreated: 3 });
    const shipment = (await bed.shipments.findByCarrierAndTrackingNumber('DHL', 'TN7'))!;
    expect(shipment.articles.map((a) => a.sku)).toEqual(['P1', 'C1']);
  });

  it('reports invalid rows by line and imports the valid rest', async () => {
    const report = await bed.importer.import(fixture('invalid-rows.csv'));
    expect(report.rowsRead).toBe(9);
    expect(report.rowsRejected).toBe(7);
    expect(report.errors).toEqual([
      { line: 3, message: 'tracking_number is empty' },
      { line: 4, message: 'carrier is empty' },
      {
        line: 5,
        message: expect.stringMatching(/^article_quantity must be a whole number .*\(got "0"\)$/),
      },
      {
        line: 6,
        message: expect.stringMatching(/^article_price must be a number >= 0.*\(got "-5"\)$/),
      },
      {
        line: 7,
        message: expect.stringMatching(/^article_price must be a number >= 0.*\(got "abc"\)$/),
      },
      { line: 8, message: 'sku is empty' },
      { line: 10, message: 'expected 9 fields as in the header, found 5' },
    ]);
    expect(report.warnings).toEqual([
      {
        line: 9,
        message: expect.stringMatching(
          /^receiver_address "somewhere unknown" has no recognisable country/,
        ),
      },
    ]);
    expect(await count('shipments')).toBe(2);
    const shipment = (await bed.shipments.findByCarrierAndTrackingNumber('GLS', 'TN503'))!;
    expect(shipment.status).toBe('unknown');
    expect(shipment.receiver).toEqual({
      line: 'somewhere unknown',
      zip: null,
      city: null,
      country: null,
      countryCode: null,
    });
  });

  it.each([['missing-column.csv'], ['no-such-file.csv']])(
    'writes nothing when %s cannot be imported',
    async (file) => {
      await expect(bed.importer.import(fixture(file))).rejects.toThrow(ImportFileError);
      expect(await count('shipments')).toBe(0);
    },
  );

  it('imports a file larger than one batch in several transactions', async () => {
    const rows = Array.from(
      { length: 4500 },
      (_, i) =>
        `TN${i},DHL,"A 1, 10115 Berlin, Germany","B 2, 75001 Paris, France",Pen,1,1.25,P1,transit`,
    );
    const report = await bed.importer.import(await bed.csv('large.csv', rows));
    expect(report).toMatchObject({ rowsRead: 4500, shipmentsCreated: 4500, articlesCreated: 4500 });
    expect(await count('shipments')).toBe(4500);
  });
});
