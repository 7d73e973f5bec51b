import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CsvReadOptions, CsvRecord, ShipmentCsvReader } from '../csv-reader';
import { ImportFileError } from '../import.errors';

const FILES = join(__dirname, '../../../../test/fixtures/operator-files');

async function read(
  file: string,
  options: CsvReadOptions = {},
): Promise<{ reader: ShipmentCsvReader; records: CsvRecord[] }> {
  const reader = new ShipmentCsvReader(resolve(FILES, file), options);
  const records: CsvRecord[] = [];
  for await (const record of reader.records()) records.push(record as CsvRecord);
  return { reader, records };
}

/** What every operator file holds: the same three rows, whatever their encoding and dialect. */
const TEXTS = {
  sender_address: 'Hohe Straße 1, 50667 Köln, Germany',
  receiver_address: 'Bahnhofstrasse 5, 8001 Zürich, Switzerland',
  article_name: 'Kühlschrank',
};

describe('operator files', () => {
  it.each([
    ['utf8-bom.csv', 'utf8', 'bom', ','],
    ['utf16le-bom.csv', 'utf16le', 'bom', ','],
    ['utf16be-bom.csv', 'utf16be', 'bom', ','],
    ['latin1.csv', 'windows-1252', 'fallback', ','],
    ['semicolon-decimal-comma.csv', 'utf8', 'content', ';'],
    ['tab-separated.tsv', 'utf8', 'content', '\t'],
    ['pipe-separated.csv', 'utf8', 'content', '|'],
    ['spaced-headers.csv', 'utf8', 'content', ','],
  ])('reads %s as %s (%s), separated by %j', async (file, encoding, by, delimiter) => {
    const { reader, records } = await read(file);
    expect(reader.encoding).toMatchObject({ name: encoding, by });
    expect(reader.delimiter).toBe(delimiter);
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual({ line: 2, fields: expect.objectContaining(TEXTS) });
    expect(records[2].fields).toMatchObject({ tracking_number: 'TNK200', status: 'delivered' });
  });

  it('reads Windows-1252 punctuation a Latin-1 decoder would lose, naming the first line', async () => {
    const { reader, records } = await read('windows-1252.csv');
    expect(reader.encoding).toEqual({ name: 'windows-1252', by: 'fallback', firstLine: 2 });
    expect(records[1].fields.article_name).toBe('Kaffee „Spezial“ – 250 g');
    expect(records[2].fields.article_name).toBe('Grüne Tasse €');
  });

  it('takes --encoding over detection, and latin1 is ISO-8859-1', async () => {
    const { reader, records } = await read('latin1.csv', { encoding: 'latin1' });
    expect(reader.encoding).toEqual({ name: 'latin1', by: 'option' });
    expect(records[0].fields.article_name).toBe('Kühlschrank');
  });

  it('refuses bytes that are not UTF-8 when UTF-8 was chosen, naming the line', async () => {
    const path = join(FILES, 'latin1.csv');
    await expect(read('latin1.csv', { encoding: 'utf8' })).rejects.toThrow(
      new ImportFileError(
        `${path}:2: this line is not UTF-8; choose the file's encoding with --encoding (utf8, utf16le, utf16be, latin1, windows-1252, ...)`,
      ),
    );
  });

  it('refuses a byte Windows-1252 has no character for, never storing U+FFFD', async () => {
    const bytes = await readFile(join(FILES, 'latin1.csv'));
    const dir = await mkdtemp(join(tmpdir(), 'cp1252-'));
    const path = join(dir, 'undefined-byte.csv');
    // 0x81 has no character in Windows-1252: the file is something else.
    await writeFile(
      path,
      Buffer.concat([bytes, Buffer.from('TNX,DHL,a,b,c\x81,1,2,S,x\n', 'latin1')]),
    );
    await expect(read(path)).rejects.toThrow(
      /undefined-byte\.csv:5: this line has a byte that is no character in windows-1252; choose/,
    );
  });

  it('takes --delimiter over detection', async () => {
    await expect(read('semicolon-decimal-comma.csv', { delimiter: ',' })).rejects.toThrow(
      /no columns "tracking_number", .*; found Tracking Number;Carrier;.* \(separated by ","\)$/,
    );
  });
});
