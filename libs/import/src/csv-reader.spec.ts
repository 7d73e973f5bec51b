import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvMalformedRecord, CsvReadOptions, CsvRecord, ShipmentCsvReader } from './csv-reader';
import { ImportFileError } from './import.errors';

const FIXTURES = join(__dirname, '../../../test/fixtures');

async function readAll(
  path: string,
  options: CsvReadOptions = {},
): Promise<(CsvRecord | CsvMalformedRecord)[]> {
  const records: (CsvRecord | CsvMalformedRecord)[] = [];
  for await (const record of new ShipmentCsvReader(path, options).records()) records.push(record);
  return records;
}

describe(ShipmentCsvReader.name, () => {
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
          // Optional and absent: empty.
          status_time: '',
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

  it('names the physical line a record starts on, after a quoted line break too', async () => {
    const path = join(dir, 'multiline.csv');
    const header =
      'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status';
    await writeFile(
      path,
      `${header}\r\nTN1,DHL,"Street 1\r\n10115 Berlin",b,c,1,2,S,x\r\nTN2,DHL,a,"b\n\nc",c,1,2,S,x\nTN3,DHL,a,b\n`,
    );
    const records = await readAll(path);
    expect(records.map((record) => record.line)).toEqual([2, 4, 7]);
    expect(records[2]).toEqual({ line: 7, error: 'expected 9 fields as in the header, found 4' });
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
    [
      'missing-column.csv',
      /missing-column\.csv: no column "article_price"; found tracking_number, carrier, sender_address, receiver_address, article_name, article_quantity, sku, status \(separated by ","\)$/,
    ],
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

  const HEADER =
    'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status';
  const row = (n: number) =>
    `TN${n},DHL,"Street 1, 10115 Berlin, Germany",b,"Cable ""A""",1,2,S${n},x`;

  it('refuses an unterminated quote naming the physical line it opens on', async () => {
    const path = join(dir, 'broken.csv');
    // A quoted newline before it: the line is counted in the file, not in records.
    const rows = [
      HEADER,
      row(1),
      'TN2,DHL,"Street 2\nBerlin",b,c,1,2,S,x',
      row(3),
      '"TN4,DHL,a,b,c,1,2,S,x',
      row(5),
    ];
    await writeFile(path, `${rows.join('\n')}\n`);
    await expect(readAll(path)).rejects.toThrow(ImportFileError);
    // The open quote swallows the line break and closes at the next quote, on line 7.
    await expect(readAll(path)).rejects.toThrow(
      `${path}:7: malformed CSV: text after the closing quote of a field opened on line 6`,
    );
    // With no quote after it, the file ends inside the field.
    const last = join(dir, 'broken-last.csv');
    await writeFile(
      last,
      `${[HEADER, row(1), '"TN4,DHL,a,b,c,1,2,S,x', 'TN5,DHL,a'].join('\n')}\n`,
    );
    await expect(readAll(last)).rejects.toThrow(
      `${last}:3: malformed CSV: a quoted field is opened here and never closed`,
    );
  });

  it('refuses a field over 64 KB at once, naming its line', async () => {
    const path = join(dir, 'huge.csv');
    await writeFile(path, `${HEADER}\n${row(1)}\nTN2,DHL,${'x'.repeat(70_000)},b,c,1,2,S,x\n`);
    await expect(readAll(path)).rejects.toThrow(
      `${path}:3: malformed CSV: a field is longer than 64 KB`,
    );
    // An unclosed quote swallowing the rest of a large file fails the same way, early.
    const swallowed = join(dir, 'swallowed.csv');
    await writeFile(swallowed, `${HEADER}\n"TN1,${'a,b,c,d\n'.repeat(20_000)}`);
    await expect(readAll(swallowed)).rejects.toThrow(
      `${swallowed}:2: malformed CSV: a field is longer than 64 KB (is a quote not closed?)`,
    );
  });

  it('keeps quoted delimiters, escaped quotes and fields just under the limit', async () => {
    const path = join(dir, 'edge.csv');
    const big = 'y'.repeat(60_000);
    await writeFile(path, `${HEADER}\n${row(1)}\nTN2,DHL,"${big}",b,c,1,2,S,x\n`);
    const records = (await readAll(path)) as CsvRecord[];
    expect(records.map((record) => record.fields.article_name)).toEqual(['Cable "A"', 'c']);
    expect(records[1].fields.sender_address).toHaveLength(60_000);
  });

  it('refuses a header with the same column twice, naming it', async () => {
    const path = join(dir, 'twice.csv');
    await writeFile(path, `${HEADER},SKU\n${row(1)},S2\n`);
    await expect(readAll(path)).rejects.toThrow(`${path}: the header has the column "sku" twice`);
  });
});
