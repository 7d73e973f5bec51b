import { Injectable, Logger } from '@nestjs/common';
import { ShipmentsRepository, ShipmentWriter } from '@app/shipments';
import { AppConfig } from '@app/config';
import { performance } from 'node:perf_hooks';
import { CsvReadOptions, ShipmentCsvReader } from './csv-reader';
import { emptyReport, ImportReport, reject, warn } from './import-report';
import { validateImportRow } from './import-row';
import { ENCODING_EXAMPLES } from './source/text-decoding';
import { ShipmentBatch } from './shipment-batch';

export interface ImportOptions extends CsvReadOptions {
  dryRun?: boolean;
  /** Told how far the import is, every PROGRESS_EVERY rows and at the end. */
  onProgress?: (progress: ImportProgress) => void;
}

/** How far an import is: rows read and, for a file, bytes of the whole. */
export interface ImportProgress {
  rows: number;
  bytesRead: number;
  /** Null for standard input. */
  totalBytes: number | null;
}

const PROGRESS_EVERY = 2000;

/**
 * Streams a shipments CSV, validates each row, groups rows into shipments (by carrier and
 * tracking number, case-insensitively) and articles (by sku), and upserts them in batched
 * transactions. Invalid rows are reported with their line and skipped; the valid rest is imported.
 */
@Injectable()
export class ShipmentImporter {
  private readonly logger = new Logger(ShipmentImporter.name);

  private readonly batchSize: number;

  constructor(
    private readonly repository: ShipmentsRepository,
    config: AppConfig,
  ) {
    this.batchSize = config.importBatchSize;
  }

  /** @throws ImportFileError when the file as a whole can't be read; nothing is written then. */
  async import(file: string, options: ImportOptions = {}): Promise<ImportReport> {
    const started = performance.now();
    const dryRun = options.dryRun ?? false;
    const reader = new ShipmentCsvReader(file, options);
    const report = emptyReport(reader.name, dryRun);
    const batch = new ShipmentBatch(report);
    const records = reader.records();
    let encodingSaid = false;
    const onProgress = options.onProgress;
    const progress = (): void =>
      onProgress?.({
        rows: report.rowsRead,
        bytesRead: reader.bytesRead,
        totalBytes: reader.totalBytes,
      });

    // Read the header (and any file-level error) before touching the database.
    const first = await records.next();
    const consume = async (writer: ShipmentWriter | null): Promise<void> => {
      // One batch is written while the next is parsed, in file order, all in one transaction.
      let writing: Promise<void> = Promise.resolve();
      const flush = async (final: boolean): Promise<void> => {
        const taken = batch.take(final);
        if (taken.inputs.length === 0 || !writer) return;
        await writing;
        writing = writer
          .upsertMany(taken.inputs)
          .then((result) => batch.recordWritten(taken, result));
        // Awaited at the next flush; until then a failure must not count as unhandled.
        writing.catch(() => undefined);
      };
      try {
        for (let next = first; !next.done; next = await records.next()) {
          const record = next.value;
          report.rowsRead++;
          if (onProgress && report.rowsRead % PROGRESS_EVERY === 0) progress();
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
          if (reader.decimalComma)
            record.fields.article_price = record.fields.article_price.replace(',', '.');
          batch.add(record);
          if (batch.size >= this.batchSize) await flush(false);
        }
        await flush(true);
        progress();
      } finally {
        // Never leave a write running behind a failure: the transaction ends after it.
        await writing.catch(() => undefined);
      }
      await writing;
    };
    if (dryRun) {
      await consume(null);
    } else {
      // A broken file half-way (an unclosed quote) rolls everything back: all or nothing.
      await this.repository.inOneTransaction(consume);
    }

    report.encoding = reader.encoding?.name ?? 'utf8';
    report.delimiter = reader.delimiter;
    report.durationMs = Math.round(performance.now() - started);
    this.logger.log(
      `Imported ${file}: ${report.rowsRead} rows, ${report.rowsRejected} rejected, ` +
        `${report.shipmentsCreated} shipments created, ${report.shipmentsUpdated} updated` +
        `${dryRun ? ' (dry run)' : ''} in ${report.durationMs} ms`,
    );
    return report;
  }
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
      `if that is wrong, choose the encoding with --encoding (${ENCODING_EXAMPLES}, ...)`,
  );
  return true;
}
