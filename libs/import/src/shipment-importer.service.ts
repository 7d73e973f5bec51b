import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ShipmentsRepository, ShipmentWriter } from '@app/shipments';
import { AppConfig } from '@app/config';
import { performance } from 'node:perf_hooks';
import { CsvReadOptions } from './csv-reader';
import { emptyReport, ImportReport, mergeReports } from './import-report';
import { parseInWorker } from './parse/parse-worker';
import { ImportProgress, parseShipmentFile, ParseEvent } from './parse/shipment-file-parser';
import { recordWritten } from './shipment-batch';

export type { ImportProgress } from './parse/shipment-file-parser';

/**
 * The script a parse worker thread starts from (the CLI's bundle, which runs the worker when
 * isParseWorker()); without it the file is parsed on this thread (tests, the API's seeder).
 */
export const PARSE_WORKER_SCRIPT = Symbol('PARSE_WORKER_SCRIPT');

export interface ImportOptions extends CsvReadOptions {
  dryRun?: boolean;
  /** Told how far the import is, every few thousand rows and at the end. */
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Streams a shipments CSV, validates each row, groups rows into shipments (by carrier and
 * tracking number, case-insensitively) and articles (by sku), and upserts them in batched
 * statements of one transaction. Invalid rows are reported with their line and skipped; the valid
 * rest is imported. Parsing runs in a worker thread when one is configured, so a batch is
 * written while the next ones are parsed on the other core.
 */
@Injectable()
export class ShipmentImporter {
  private readonly logger = new Logger(ShipmentImporter.name);

  private readonly batchSize: number;

  constructor(
    private readonly repository: ShipmentsRepository,
    config: AppConfig,
    @Optional() @Inject(PARSE_WORKER_SCRIPT) private readonly workerScript?: string,
  ) {
    this.batchSize = config.importBatchSize;
  }

  /** @throws ImportFileError when the file as a whole can't be read; nothing is written then. */
  async import(file: string, options: ImportOptions = {}): Promise<ImportReport> {
    const started = performance.now();
    const dryRun = options.dryRun ?? false;
    const parseOptions = {
      dryRun,
      batchSize: this.batchSize,
      delimiter: options.delimiter,
      encoding: options.encoding,
    };
    const events = this.workerScript
      ? parseInWorker(this.workerScript, file, parseOptions)
      : parseShipmentFile(file, parseOptions);
    // What the writes add: counts, and warnings about shipments written by an earlier batch.
    const written = emptyReport(file, dryRun);
    let parsed: ImportReport | null = null;

    // Read the header (and any file-level error) before touching the database.
    const first = await events.next();
    const consume = async (writer: ShipmentWriter | null): Promise<void> => {
      // One batch is written while the next is parsed, in file order, all in one transaction.
      let writing: Promise<void> = Promise.resolve();
      try {
        for (let next = first; !next.done; next = await events.next()) {
          const event: ParseEvent = next.value;
          if (event.kind === 'progress') options.onProgress?.(event.progress);
          else if (event.kind === 'done') parsed = event.report;
          else if (writer) {
            await writing;
            const { taken } = event;
            writing = writer
              .upsertMany(taken.inputs)
              .then((result) => recordWritten(written, taken, result));
            // Awaited at the next batch; until then a failure must not count as unhandled.
            writing.catch(() => undefined);
          }
        }
      } finally {
        // Never leave a write running behind a failure: the transaction ends after it.
        await writing.catch(() => undefined);
        await events.return(undefined);
      }
      await writing;
    };
    if (dryRun) {
      await consume(null);
    } else {
      // A broken file half-way (an unclosed quote) rolls everything back: all or nothing.
      await this.repository.inOneTransaction(consume);
    }
    if (!parsed) throw new Error(`the import of ${file} ended without its report`);
    const report = mergeReports(parsed, written);
    report.durationMs = Math.round(performance.now() - started);
    this.logger.log(
      `Imported ${file}: ${report.rowsRead} rows, ${report.rowsRejected} rejected, ` +
        `${report.shipmentsCreated} shipments created, ${report.shipmentsUpdated} updated` +
        `${dryRun ? ' (dry run)' : ''} in ${report.durationMs} ms`,
    );
    return report;
  }
}
