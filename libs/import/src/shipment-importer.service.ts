import { Injectable, Logger } from '@nestjs/common';
import {
  AddressRecord,
  parseAddress,
  ShipmentInput,
  ShipmentsRepository,
  ShipmentWriter,
  UpsertCounts,
} from '@app/shipments';
import { AppConfig } from '@app/config';
import { performance } from 'node:perf_hooks';
import { CsvRecord, readShipmentCsv } from './csv-reader';
import { validateImportRow } from './import-row';

/** Problems kept for the report; beyond that they are only counted. */
const MAX_REPORTED_PROBLEMS = 1000;

export interface ImportProblem {
  line: number;
  message: string;
}

export interface ImportReport extends UpsertCounts {
  file: string;
  dryRun: boolean;
  rowsRead: number;
  rowsRejected: number;
  /** Distinct shipments and articles among the valid rows (what a dry run would write). */
  shipmentsInFile: number;
  articlesInFile: number;
  errors: ImportProblem[];
  warnings: ImportProblem[];
  errorCount: number;
  warningCount: number;
  durationMs: number;
}

export interface ImportOptions {
  dryRun?: boolean;
}

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
    const report = emptyReport(file, dryRun);
    const batch = new ShipmentBatch(report);
    const addresses = new AddressCache();
    const records = readShipmentCsv(file);

    // Read the header (and any file-level error) before touching the database.
    const first = await records.next();
    const consume = async (writer: ShipmentWriter | null): Promise<void> => {
      // One batch is written while the next is parsed, in file order, all in one transaction.
      let writing: Promise<void> = Promise.resolve();
      const flush = async (): Promise<void> => {
        const shipments = batch.take();
        if (shipments.length === 0 || !writer) return;
        await writing;
        writing = writer.upsertMany(shipments).then((counts) => addCounts(report, counts));
        // Awaited at the next flush; until then a failure must not count as unhandled.
        writing.catch(() => undefined);
      };
      try {
        for (let next = first; !next.done; next = await records.next()) {
          const record = next.value;
          report.rowsRead++;
          if ('error' in record) {
            reject(report, record.line, record.error);
            continue;
          }
          const reasons = validateImportRow(record.fields);
          if (reasons.length > 0) {
            reject(report, record.line, reasons.join('; '));
            continue;
          }
          batch.add(record, addresses);
          if (batch.size >= this.batchSize) await flush();
        }
        await flush();
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

    report.durationMs = Math.round(performance.now() - started);
    this.logger.log(
      `Imported ${file}: ${report.rowsRead} rows, ${report.rowsRejected} rejected, ` +
        `${report.shipmentsCreated} shipments created, ${report.shipmentsUpdated} updated` +
        `${dryRun ? ' (dry run)' : ''} in ${report.durationMs} ms`,
    );
    return report;
  }
}

/** Groups valid rows into ShipmentInputs until the batch is flushed. */
class ShipmentBatch {
  private shipments = new Map<string, { input: ShipmentInput; skuLines: Map<string, number> }>();

  constructor(private readonly report: ImportReport) {}

  get size(): number {
    return this.shipments.size;
  }

  add({ line, fields }: CsvRecord, addresses: AddressCache): void {
    const carrier = fields.carrier.trim();
    const trackingNumber = fields.tracking_number.trim();
    const key = `${carrier.toLowerCase()}\u0000${trackingNumber.toLowerCase()}`;
    const sender = addresses.parse(fields.sender_address, 'sender', line, this.report);
    const receiver = addresses.parse(fields.receiver_address, 'receiver', line, this.report);
    const carrierStatus = fields.status.trim();

    let entry = this.shipments.get(key);
    if (!entry) {
      entry = {
        input: { carrier, trackingNumber, carrierStatus, sender, receiver, articles: [] },
        skuLines: new Map(),
      };
      this.shipments.set(key, entry);
      this.report.shipmentsInFile++;
    } else {
      // Rows of one shipment should agree; where they don't, the last row wins.
      Object.assign(entry.input, { carrier, trackingNumber, carrierStatus, sender, receiver });
    }

    const sku = fields.sku.trim();
    const article = {
      sku,
      name: fields.article_name.trim(),
      quantity: Number(fields.article_quantity),
      price: fields.article_price.trim(),
    };
    const earlierLine = entry.skuLines.get(sku);
    if (earlierLine === undefined) {
      entry.input.articles.push(article);
      this.report.articlesInFile++;
    } else {
      const index = entry.input.articles.findIndex((existing) => existing.sku === sku);
      entry.input.articles[index] = article;
      warn(
        this.report,
        line,
        `sku "${sku}" repeats line ${earlierLine} of the same shipment; this row replaces it`,
      );
    }
    entry.skuLines.set(sku, line);
  }

  take(): ShipmentInput[] {
    const inputs = [...this.shipments.values()].map((entry) => entry.input);
    this.shipments = new Map();
    return inputs;
  }
}

/** Parses each distinct address once; files repeat them for every article row. */
class AddressCache {
  private readonly parsed = new Map<string, AddressRecord>();

  parse(
    raw: string,
    side: 'sender' | 'receiver',
    line: number,
    report: ImportReport,
  ): AddressRecord {
    const address = raw.trim();
    let record = this.parsed.get(address);
    if (!record) {
      if (this.parsed.size >= 50_000) this.parsed.clear();
      record = { line: address, ...parseAddress(address) };
      this.parsed.set(address, record);
      // Said once per distinct address, at the first line that has it.
      if (record.zip === null || record.countryCode === null) {
        const missing =
          record.countryCode === null ? 'no recognisable country' : 'no recognisable postcode';
        warn(
          report,
          line,
          `${side}_address "${address}" has ${missing}; kept as is, without a location`,
        );
      }
    }
    return record;
  }
}

function emptyReport(file: string, dryRun: boolean): ImportReport {
  return {
    file,
    dryRun,
    rowsRead: 0,
    rowsRejected: 0,
    shipmentsInFile: 0,
    articlesInFile: 0,
    shipmentsCreated: 0,
    shipmentsUpdated: 0,
    shipmentsUnchanged: 0,
    articlesCreated: 0,
    articlesUpdated: 0,
    articlesUnchanged: 0,
    errors: [],
    warnings: [],
    errorCount: 0,
    warningCount: 0,
    durationMs: 0,
  };
}

function reject(report: ImportReport, line: number, message: string): void {
  report.rowsRejected++;
  report.errorCount++;
  if (report.errors.length < MAX_REPORTED_PROBLEMS) report.errors.push({ line, message });
}

function warn(report: ImportReport, line: number, message: string): void {
  report.warningCount++;
  if (report.warnings.length < MAX_REPORTED_PROBLEMS) report.warnings.push({ line, message });
}

function addCounts(report: ImportReport, counts: UpsertCounts): void {
  for (const key of Object.keys(counts) as (keyof UpsertCounts)[]) report[key] += counts[key];
}
