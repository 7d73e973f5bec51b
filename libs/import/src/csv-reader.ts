import { parse } from 'fast-csv';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CsvStructureGuard } from './csv-structure-guard';
import { ImportFileError } from './import.errors';

/** The columns every shipments file must have, found by header name in any order. */
export const REQUIRED_COLUMNS = [
  'tracking_number',
  'carrier',
  'sender_address',
  'receiver_address',
  'article_name',
  'article_quantity',
  'article_price',
  'sku',
  'status',
] as const;

export type ShipmentColumn = (typeof REQUIRED_COLUMNS)[number];

/**
 * One data record: the physical line it starts on (the header is line 1; a quoted line break
 * makes a record span several lines) and its fields by column.
 */
export interface CsvRecord {
  line: number;
  fields: Record<ShipmentColumn, string>;
}

/** A record that could not be turned into fields (wrong number of fields). */
export interface CsvMalformedRecord {
  line: number;
  error: string;
}

/**
 * Streams a shipments CSV (RFC 4180 quoting, UTF-8 with or without BOM, LF or CRLF) record by
 * record, so the file is never held in memory. Extra columns are ignored; blank lines are skipped.
 * @throws ImportFileError for a missing or unreadable file, a missing column or broken CSV.
 */
export async function* readShipmentCsv(
  path: string,
): AsyncGenerator<CsvRecord | CsvMalformedRecord> {
  await assertReadableFile(path);
  const guard = new CsvStructureGuard(
    (line, problem) => new ImportFileError(`${path}:${line}: malformed CSV: ${problem}`),
  );
  const parser = createReadStream(path)
    .pipe(guard)
    .pipe(parse({ headers: false, ignoreEmpty: false }));
  // pipe() does not pass errors on: the guard's verdict ends the parse with the guard's words.
  guard.once('error', (error) => parser.destroy(error));
  let columns: Map<ShipmentColumn, number> | undefined;
  let headerWidth = 0;
  let line = 0;
  try {
    for await (const values of parser as AsyncIterable<string[]>) {
      line = guard.recordStarts.shift() ?? line + 1;
      if (!columns) {
        headerWidth = values.length;
        columns = mapColumns(path, values);
        continue;
      }
      if (values.length === 0 || (values.length === 1 && values[0].trim() === '')) continue;
      if (values.length !== headerWidth) {
        yield {
          line,
          error: `expected ${headerWidth} fields as in the header, found ${values.length}`,
        };
        continue;
      }
      const fields = {} as Record<ShipmentColumn, string>;
      for (const [column, index] of columns) fields[column] = values[index];
      yield { line, fields };
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportFileError(`${path}: malformed CSV after line ${line}: ${reason}`);
  } finally {
    parser.destroy();
  }
  if (!columns) throw new ImportFileError(`${path}: the file is empty (no header line)`);
}

async function assertReadableFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ImportFileError(`${path}: not a regular file`);
    // Opening proves it is readable before anything is written.
    const probe = createReadStream(path, { start: 0, end: 0 });
    await new Promise<void>((resolve, reject) =>
      probe.once('error', reject).once('open', () => {
        probe.destroy();
        resolve();
      }),
    );
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : (error as Error).message;
    throw new ImportFileError(`${path}: cannot read the file (${reason})`);
  }
}

function mapColumns(path: string, header: string[]): Map<ShipmentColumn, number> {
  const names = header.map((name, index) =>
    (index === 0 ? name.replace(/^\uFEFF/, '') : name).trim().toLowerCase(),
  );
  // Which of two same-named columns is meant can't be known: refuse the file, write nothing.
  const seen = new Set<string>();
  for (const name of names) {
    if (name !== '' && seen.has(name)) {
      throw new ImportFileError(`${path}: the header has the column "${name}" twice`);
    }
    seen.add(name);
  }
  const columns = new Map<ShipmentColumn, number>();
  for (const column of REQUIRED_COLUMNS) {
    const index = names.indexOf(column);
    if (index === -1) {
      throw new ImportFileError(`${path}: missing required column "${column}" in the header line`);
    }
    columns.set(column, index);
  }
  return columns;
}
