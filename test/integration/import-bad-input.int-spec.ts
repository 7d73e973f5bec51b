import { ImportFileError } from '@app/import';
import { CSV_HEADER, useImportBed } from '../support/import-bed';

const good = (n: number, sku = 'S1') =>
  `TN${n},DHL,"Street 1, 10115 Berlin, Germany","Street 10, 75001 Paris, France",Item,1,2.50,${sku},in-transit`;

/** Input that used to abort a whole import, or to store what can't be looked up. */
describe('Import of bad input', () => {
  // Batches of 3 shipments: a file of more spans several statements (one transaction).
  const bed = useImportBed({ env: { IMPORT_BATCH_SIZE: '3' }, tables: 'shipments, locations' });

  const keys = async (): Promise<string[]> =>
    (
      await bed.dataSource.query<{ carrier: string; tracking_number: string }[]>(
        'SELECT carrier, tracking_number FROM shipments ORDER BY tracking_number',
      )
    ).map((row) => `${row.carrier} ${row.tracking_number}`);

  it('counts a shipment whose rows straddle a batch once, and catches its repeated sku', async () => {
    // Batches of 3: TN3's rows come after the 3rd shipment is complete, then repeat its sku.
    const rows = [good(1), good(2), good(3, 'A'), good(3, 'B'), good(3, 'A'), good(4), good(5)];
    const first = await bed.importer.import(await bed.csv('straddle.csv', rows));
    expect(first).toMatchObject({
      shipmentsInFile: 5,
      shipmentsCreated: 5,
      shipmentsUpdated: 0,
      shipmentsUnchanged: 0,
      articlesInFile: 6,
      articlesCreated: 6,
    });
    expect(first.warnings).toEqual([
      { line: 6, message: 'sku "A" repeats line 4 of the same shipment; this row replaces it' },
    ]);
    const again = await bed.importer.import(await bed.csv('straddle.csv', rows));
    expect(again).toMatchObject({
      shipmentsCreated: 0,
      shipmentsUnchanged: 5,
      articlesUnchanged: 6,
    });
  });

  it('counts once a shipment whose rows are apart in the file, and says they are apart', async () => {
    const rows = [good(1, 'A'), good(2), good(3), good(4), good(5), good(1, 'B')];
    const report = await bed.importer.import(await bed.csv('apart.csv', rows));
    expect(report).toMatchObject({ shipmentsInFile: 5, shipmentsCreated: 5, shipmentsUpdated: 0 });
    expect(report.warnings.map((warning) => warning.line)).toEqual([7]);
    expect(report.warnings[0].message).toMatch(
      /^shipment DHL TN1 continues here, after other shipments; keep a shipment's rows together/,
    );
    const [{ count }] = await bed.dataSource.query(
      `SELECT count(*)::int AS count FROM articles a JOIN shipments s ON s.id = a.shipment_id WHERE s.tracking_number = 'TN1'`,
    );
    expect(count).toBe(2);
  });

  it('rejects a row with a NUL byte in any field, naming line and column, and imports the rest', async () => {
    const columns = CSV_HEADER.split(',');
    const rows = columns.map((_, index) => {
      const fields = good(100 + index).match(/("[^"]*"|[^,]+)/g)!;
      fields[index] = fields[index].startsWith('"')
        ? fields[index].replace('Street', 'Str\u0000eet')
        : `${fields[index]}\u0000`;
      return fields.join(',');
    });
    const path = await bed.csv('nul.csv', [good(1), ...rows, good(2)]);
    const report = await bed.importer.import(path);
    expect(report.rowsRejected).toBe(columns.length);
    expect(report.errors.map((error) => [error.line, error.message.split(' ')[0]])).toEqual(
      columns.map((column, index) => [index + 3, column]),
    );
    // Text fields say why; the number fields refuse the value as not a number.
    for (const error of report.errors.filter((e) => !/quantity|price/.test(e.message))) {
      expect(error.message).toMatch(/control character \(U\+0000\)/);
    }
    expect(await keys()).toEqual(['DHL TN1', 'DHL TN2']);
  });

  it('imports a receiver country "constructor" without a location instead of aborting', async () => {
    const path = await bed.csv('constructor.csv', [
      good(1),
      'TN3,DHL,"Street 1, 10115 Berlin, Germany","Street 9, 12345 Somewhere, constructor",Item,1,2,S1,x',
      'TN4,DHL,"Street 1, 10115 Berlin, __proto__","Street 9, 75001 Paris, toString",Item,1,2,S1,x',
      good(2),
    ]);
    const report = await bed.importer.import(path);
    expect(report.rowsRejected).toBe(0);
    expect(await keys()).toEqual(['DHL TN1', 'DHL TN2', 'DHL TN3', 'DHL TN4']);
    const rows: { receiver_country_code: string | null }[] = await bed.dataSource.query(
      `SELECT receiver_country_code FROM shipments WHERE tracking_number IN ('TN3', 'TN4')`,
    );
    expect(rows.map((row) => row.receiver_country_code)).toEqual([null, null]);
  });

  it('rejects invisible characters in a tracking number or carrier, which could never be looked up', async () => {
    const path = await bed.csv('invisible.csv', [
      good(1),
      good(5).replace('TN5', 'TN\u200b5'),
      good(6).replace('DHL', 'D\u2060HL'),
      good(7).replace('TN7', '\u00a0TN7'),
      good(2),
    ]);
    const report = await bed.importer.import(path);
    // Surrounding white space (a no-break space too) is trimmed, as in a lookup: TN7 is fine.
    expect(report.errors.map((error) => error.line)).toEqual([3, 4]);
    expect(report.errors[0].message).toBe(
      'tracking_number contains an invisible character (U+200B)',
    );
    expect(await keys()).toEqual(['DHL TN1', 'DHL TN2', 'DHL TN7']);
  });

  it('writes nothing when the file breaks half-way, and names the real line', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => good(1000 + i));
    // A quoted newline earlier on: the reported line is the file's, not the record count.
    rows[3] = good(1003).replace('"Street 1, 10115', '"Street 1\n10115');
    const path = await bed.csv('unterminated.csv', [...rows, '"TN9,DHL,a,b,c,1,2,S,x', good(2)]);
    const error = await bed.importer.import(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toBe(
      `${path}:34: malformed CSV: text after the closing quote of a field opened on line 33 ` +
        '(a quote not closed, or a quote inside a field not doubled as "")',
    );
    expect(await keys()).toEqual([]);
  });

  it('refuses a header with a column twice before writing anything', async () => {
    const path = await bed.csv('twice.csv', [`${good(1)},DHL`], `${CSV_HEADER},Carrier`);
    await expect(bed.importer.import(path)).rejects.toThrow(
      `${path}: the header has the column "carrier" twice`,
    );
    expect(await keys()).toEqual([]);
  });
});
