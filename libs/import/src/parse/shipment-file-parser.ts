import { CsvReadOptions, ShipmentCsvReader } from '../csv-reader';
import { emptyReport, ImportReport, reject, warn } from '../import-report';
import { validateImportRow } from '../import-row';
import { ShipmentBatch, TakenShipments } from '../shipment-batch';
import { ENCODING_OPTION } from '../source/text-decoding';

/** How far an import is: rows read and, for a file, bytes of the whole. */
export interface ImportProgress {
  rows: number;
  bytesRead: number;
  /** Null for standard input. */
  totalBytes: number | null;
}

/** What parsing a file gives, in file order: batches to write, progress, and its report. */
export type ParseEvent =
  | { kind: 'batch'; taken: TakenShipments }
  | { kind: 'progress'; progress: ImportProgress }
  | { kind: 'done'; report: ImportReport };

export interface ParseOptions extends CsvReadOptions {
  dryRun: boolean;
  /** Shipments per batch. */
  batchSize: number;
}

/** Progress is told every this many rows. */
const PROGRESS_EVERY = 2000;

/**
 * Reads, validates and groups a shipments file into batches of whole shipments (the CPU side of
 * an import, which runs in a worker thread when it can). Invalid rows are reported with their
 * line in the report and skipped. A file-level problem (unreadable, a missing column, broken
 * CSV) is thrown as ImportFileError, before the first batch when it is in the header.
 */
export async function* parseShipmentFile(
  file: string,
  options: ParseOptions,
): AsyncGenerator<ParseEvent> {
  const reader = new ShipmentCsvReader(file, options);
  const report = emptyReport(reader.name, options.dryRun);
  const batch = new ShipmentBatch(report);
  let encodingSaid = false;
  const progress = (): ParseEvent => ({
    kind: 'progress',
    progress: { rows: report.rowsRead, bytesRead: reader.bytesRead, totalBytes: reader.totalBytes },
  });

  for await (const record of reader.records()) {
    report.rowsRead++;
    if (report.rowsRead % PROGRESS_EVERY === 0) yield progress();
    if (!encodingSaid) encodingSaid = sayFallbackEncoding(reader, report);
    if ('error' in record) {
      reject(report, record.line, record.error);
      continue;
    }
    const reasons = validateImportRow(record.fields, reader);
    if (reasons.length > 0) {
      reject(report, record.line, reasons.join('; '));
      continue;
    }
    // A valid price has at most one comma: the decimal comma of a ;- or tab-separated file.
    if (reader.decimalComma) {
      record.fields.article_price = record.fields.article_price.replace(',', '.');
    }
    batch.add(record);
    if (batch.size >= options.batchSize) yield { kind: 'batch', taken: batch.take(false) };
  }
  const last = batch.take(true);
  if (last.inputs.length > 0) yield { kind: 'batch', taken: last };
  yield progress();
  report.encoding = reader.encoding?.name ?? 'utf8';
  report.delimiter = reader.delimiter;
  yield { kind: 'done', report };
}

/**
 * Says once that a file without a BOM was not UTF-8 and is read as Windows-1252, naming the
 * first line that is not UTF-8; true when that is settled (said, or not the case).
 */
function sayFallbackEncoding(reader: ShipmentCsvReader, report: ImportReport): boolean {
  const encoding = reader.encoding;
  // Until a non-ASCII byte is read, a file without a BOM may still turn out not to be UTF-8.
  if (encoding?.by !== 'fallback') return encoding?.by === 'bom' || encoding?.by === 'option';
  warn(
    report,
    encoding.firstLine,
    'this line is not UTF-8 and the file has no BOM, so the file is read as Windows-1252; ' +
      `if that is wrong, choose the encoding with ${ENCODING_OPTION}`,
  );
  return true;
}
