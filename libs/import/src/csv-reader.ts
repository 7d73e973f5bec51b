import { parse } from 'fast-csv';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { CsvStructureGuard } from './csv-structure-guard';
import { ImportFileError } from './import.errors';
import {
  allowsDecimalComma,
  delimiterName,
  detectDelimiter,
  headerKey,
} from './source/csv-dialect';
import { DetectedEncoding, TextDecoding, TextDecodingError } from './source/text-decoding';

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

/** Columns a file may have: when absent, their fields are empty. */
export const OPTIONAL_COLUMNS = [
  /** When the carrier reported the status (ISO 8601; without a zone, UTC); else the import's time. */
  'status_time',
] as const;

export type ShipmentColumn = (typeof REQUIRED_COLUMNS | typeof OPTIONAL_COLUMNS)[number];

/** `-` as the file: standard input. */
export const STDIN = '-';

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

export interface CsvReadOptions {
  /** One character; detected from the header line when absent. */
  delimiter?: string;
  /** An iconv-lite encoding name (checked by the caller); detected when absent. */
  encoding?: string;
}

/** The longest header line looked at for the delimiter. */
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Streams a shipments CSV (RFC 4180 quoting, LF or CRLF) record by record, so the file is never
 * held in memory: a path, or standard input for `-`. The encoding (TextDecoding) and the
 * delimiter (from the header line) are found unless given; header names match loosely
 * (headerKey); extra columns are ignored; blank lines are skipped. Once the header is read,
 * `delimiter` and `encoding` say how the file was read; `bytesRead` and `totalBytes` are its
 * progress.
 */
export class ShipmentCsvReader {
  /** How the file is named in messages. */
  readonly name: string;
  delimiter = ',';
  totalBytes: number | null = null;
  private decoding: TextDecoding | null = null;

  constructor(
    readonly file: string,
    private readonly options: CsvReadOptions = {},
  ) {
    this.name = file === STDIN ? 'stdin' : file;
  }

  get encoding(): DetectedEncoding | null {
    return this.decoding?.detected ?? null;
  }

  get bytesRead(): number {
    return this.decoding?.bytesRead ?? 0;
  }

  /** Whether prices may use a decimal comma: the file's delimiter leaves the comma free. */
  get decimalComma(): boolean {
    return allowsDecimalComma(this.delimiter);
  }

  /** @throws ImportFileError for a missing or unreadable file, a missing column or broken CSV. */
  async *records(): AsyncGenerator<CsvRecord | CsvMalformedRecord> {
    const source = await this.open();
    const decoding = new TextDecoding(this.options.encoding);
    this.decoding = decoding;
    let line = 0;
    const fail = (error: unknown): ImportFileError => {
      if (error instanceof ImportFileError) return error;
      if (error instanceof TextDecodingError) {
        return new ImportFileError(`${this.name}:${error.line}: ${error.message}`);
      }
      const reason = error instanceof Error ? error.message : String(error);
      return new ImportFileError(`${this.name}: malformed CSV after line ${line}: ${reason}`);
    };

    const decoded = pipeline(source, decoding, () => undefined);
    const { header, body } = await readHeaderLine(decoded).catch((error) => {
      throw fail(error);
    });
    this.delimiter = this.options.delimiter ?? detectDelimiter(header);
    const guard = new CsvStructureGuard(
      (at, problem) => new ImportFileError(`${this.name}:${at}: malformed CSV: ${problem}`),
      this.delimiter.charCodeAt(0),
    );
    const parser = parse({ headers: false, ignoreEmpty: false, delimiter: this.delimiter });
    // Any stage's error (the decoder's, the guard's verdict) ends the parse with its words.
    pipeline(body, guard, parser, () => undefined);
    let columns: Map<ShipmentColumn, number> | undefined;
    let headerWidth = 0;
    try {
      for await (const values of parser as AsyncIterable<string[]>) {
        line = guard.recordStarts.shift() ?? line + 1;
        if (!columns) {
          headerWidth = values.length;
          columns = this.mapColumns(values);
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
        for (const [column, index] of columns) fields[column] = index < 0 ? '' : values[index];
        yield { line, fields };
      }
    } catch (error) {
      throw fail(error);
    } finally {
      parser.destroy();
      source.destroy();
    }
    if (!columns) throw new ImportFileError(`${this.name}: the file is empty (no header line)`);
  }

  private async open(): Promise<Readable> {
    if (this.file === STDIN) return process.stdin;
    try {
      const info = await stat(this.file);
      if (!info.isFile()) throw new ImportFileError(`${this.name}: not a regular file`);
      this.totalBytes = info.size;
      const stream = createReadStream(this.file, { highWaterMark: 256 * 1024 });
      // Opening proves it is readable before anything is written.
      await new Promise<void>((resolve, reject) =>
        stream.once('error', reject).once('open', () => resolve()),
      );
      return stream;
    } catch (error) {
      if (error instanceof ImportFileError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
      throw new ImportFileError(`${this.name}: cannot read the file (${reason})`);
    }
  }

  private mapColumns(header: string[]): Map<ShipmentColumn, number> {
    const keys = header.map(headerKey);
    // Which of two same-named columns is meant can't be known: refuse the file, write nothing.
    const seen = new Set<string>();
    for (const key of keys) {
      if (key !== '' && seen.has(key)) {
        throw new ImportFileError(`${this.name}: the header has the column "${key}" twice`);
      }
      seen.add(key);
    }
    const missing = REQUIRED_COLUMNS.filter((column) => !keys.includes(column));
    if (missing.length > 0) {
      const names = missing.map((column) => `"${column}"`).join(', ');
      const found = header.map((name) => headerKey(name) && name.trim()).filter(Boolean);
      throw new ImportFileError(
        `${this.name}: no column${missing.length > 1 ? 's' : ''} ${names}; ` +
          `found ${found.length > 0 ? found.join(', ') : 'nothing'} ` +
          `(separated by ${delimiterName(this.delimiter)})`,
      );
    }
    // An absent optional column is -1: its field is empty.
    return new Map(
      [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].map((column) => [column, keys.indexOf(column)]),
    );
  }
}

/**
 * Reads the decoded bytes up to the first line break (the header line, for the delimiter) and
 * gives back a stream of the whole text, header included.
 */
async function readHeaderLine(decoded: Readable): Promise<{ header: string; body: Readable }> {
  const iterator: AsyncIterator<Buffer> = decoded[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let length = 0;
  let end = -1;
  while (end === -1 && length < MAX_HEADER_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    const at = next.value.indexOf(0x0a);
    if (at !== -1) end = length + at;
    head.push(next.value);
    length += next.value.length;
  }
  const first = Buffer.concat(head);
  const header = first.subarray(0, end === -1 ? Math.min(length, MAX_HEADER_BYTES) : end);
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value;
    }
  }
  return { header: header.toString('utf8'), body: Readable.from(rest(), { objectMode: false }) };
}
