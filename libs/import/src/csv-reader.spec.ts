import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvMalformedRecord, CsvRecord, readShipmentCsv } from './csv-reader';
import { ImportFileError } from './import.errors';

const FIXTURES = join(__dirname, '../../../test/fixtures');

async function readAll(path: string): Promise<(CsvRecord | CsvMalformedRecord)[]> {
  const records: (CsvRecord | CsvMalformedRecord)[] = [];
  for await (const record of readShipmentCsv(path)) records.push(record);
  return records;
}

describe(readShipmentCsv.name, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'csv-reader-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads columns by header name with a BOM, CRLF, quoting and an extra column', async () => {
    const records = await readAll(join(FIXTURES, 'bom-crlf-reordered.csv'));
    expect(records).toEqual([
      {
        line: 2,
        fields: {
          status: 'in-transit',
          sku: 'SK1',
          article_price: '1,5',
          article_quantity: '1',
          article_name: 'Cable "USB-C"',
          receiver_address: 'Street 10, 75001 Paris, France',
          sender_address: 'Street 1, 10115 Berlin, Germany',
          carrier: 'DHL',
          tracking_number: 'TN900',
        },
      },
      expect.objectContaining({
        line: 3,
        fields: expect.objectContaining({ carrier: 'ups', article_price: '10.50' }),
      }),
    ]);
  });

  it('reports a record with the wrong number of fields by line', async () => {
    const records = await readAll(join(FIXTURES, 'invalid-rows.csv'));
    expect(records.at(-1)).toEqual({
      line: 10,
      error: 'expected 9 fields as in the header, found 5',
    });
  });

  it('skips blank lines but keeps counting them', async () => {
    const path = join(dir, 'blank.csv');
    const header =
      'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status';
    await writeFile(path, `${header}\n\nTN1,DHL,a,b,c,1,2,S,x\n`);
    const records = await readAll(path);
    expect(records).toEqual([expect.objectContaining({ line: 3 })]);
  });

  it.each([
    ['missing-column.csv', /missing-column\.csv: missing required column "article_price"/],
    ['does-not-exist.csv', /does-not-exist\.csv: cannot read the file \(no such file\)/],
  ])('refuses %s with one line naming it', async (file, message) => {
    await expect(readAll(join(FIXTURES, file))).rejects.toThrow(ImportFileError);
    await expect(readAll(join(FIXTURES, file))).rejects.toThrow(message);
  });

  it('refuses a directory and an empty file', async () => {
    await expect(readAll(dir)).rejects.toThrow(/not a regular file/);
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    await expect(readAll(empty)).rejects.toThrow(/empty.csv: the file is empty/);
  });

  it('refuses an unterminated quote as malformed CSV', async () => {
    const path = join(dir, 'broken.csv');
    await writeFile(path, 'tracking_number,carrier\n"TN1,DHL\n');
    await expect(readAll(path)).rejects.toThrow(ImportFileError);
  });
});
