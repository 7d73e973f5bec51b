import {
  AddressRecord,
  noUpsertCounts,
  parseAddress,
  ShipmentInput,
  UpsertCounts,
  UpsertResult,
} from '@app/shipments';
import { hasPostcodes } from '@app/weather';
import { CsvRecord } from './csv-reader';
import { ImportReport, warn } from './import-report';
import { readStatusTime } from './import-row';

interface Entry {
  input: ShipmentInput;
  skuLines: Map<string, number>;
  /** The first line of the shipment in this batch. */
  line: number;
  /** The line each shipment-level value was last taken from, to name it when a row disagrees. */
  valueLines: Record<ShipmentLevelColumn, number>;
}

/** The columns that belong to the shipment, not the article: every row should repeat them. */
const SHIPMENT_LEVEL = ['sender_address', 'receiver_address', 'status', 'status_time'] as const;
type ShipmentLevelColumn = (typeof SHIPMENT_LEVEL)[number];

/**
 * Groups valid rows into ShipmentInputs (by carrier and tracking number, case-insensitively;
 * articles by sku) until they are taken for writing. The shipment of the latest row stays back
 * until the next one starts, so a shipment's consecutive rows are always written together
 * whatever the batch size: counted once, and a repeated sku among them is caught. Nothing is
 * kept of written batches (an import of 500,000 shipments would hold them all).
 */
export class ShipmentBatch {
  private entries = new Map<string, Entry>();
  private openKey: string | null = null;
  private readonly addresses = new AddressCache();
  private unzonedTimeSaid = false;

  constructor(private readonly report: ImportReport) {}

  get size(): number {
    return this.entries.size;
  }

  add({ line, fields }: CsvRecord): void {
    const carrier = fields.carrier.trim();
    const trackingNumber = fields.tracking_number.trim();
    const key = `${carrier.toLowerCase()}\u0000${trackingNumber.toLowerCase()}`;
    const sender = this.addresses.parse(fields.sender_address, 'sender', line, this.report);
    const receiver = this.addresses.parse(fields.receiver_address, 'receiver', line, this.report);
    const carrierStatus = fields.status.trim();
    const statusTime = this.statusTime(fields.status_time, line);
    // What every row of the shipment repeats.
    const shipment = { carrier, trackingNumber, carrierStatus, statusTime, sender, receiver };

    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        input: { ...shipment, articles: [] },
        skuLines: new Map(),
        line,
        valueLines: {
          sender_address: line,
          receiver_address: line,
          status: line,
          status_time: line,
        },
      };
      this.entries.set(key, entry);
      this.report.shipmentsInFile++;
    } else {
      this.reportDisagreement(entry, shipment, line);
      // Rows of one shipment should agree; where they don't, the last row wins.
      Object.assign(entry.input, shipment);
    }
    this.openKey = key;

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

  /**
   * The row's status time in UTC, or null for the import's time (the row is valid here:
   * validateImportRow). A time that names no zone is read as UTC, said once per file.
   */
  private statusTime(text: string, line: number): string | null {
    const time = readStatusTime(text) as { value: string; zoned: boolean } | null;
    if (time && !time.zoned && !this.unzonedTimeSaid) {
      this.unzonedTimeSaid = true;
      warn(
        this.report,
        line,
        `status_time "${text.trim()}" names no time zone, so it (and every such time in this ` +
          'file) is read as UTC; add Z or an offset such as +01:00',
      );
    }
    return time?.value ?? null;
  }

  /** One warning per row whose shipment-level values differ from the shipment's earlier rows. */
  private reportDisagreement(
    entry: Entry,
    row: Pick<ShipmentInput, 'sender' | 'receiver' | 'carrierStatus' | 'statusTime'>,
    line: number,
  ): void {
    const current = entry.input;
    const differs: Record<ShipmentLevelColumn, boolean> = {
      sender_address: row.sender.line !== current.sender.line,
      receiver_address: row.receiver.line !== current.receiver.line,
      status: row.carrierStatus !== current.carrierStatus,
      status_time: row.statusTime !== current.statusTime,
    };
    const columns = SHIPMENT_LEVEL.filter((column) => differs[column]);
    if (columns.length === 0) return;
    const what = columns
      .map((column) => `${column} of line ${entry.valueLines[column]}`)
      .join(' and the ');
    warn(
      this.report,
      line,
      `shipment ${current.carrier} ${current.trackingNumber}: this row disagrees with the ${what}; ` +
        'the last row wins',
    );
    for (const column of columns) entry.valueLines[column] = line;
  }

  /**
   * The shipments to write now: all of them at the end of the file (`final`), else all but the
   * one the latest row belongs to, which may go on in the next rows.
   */
  take(final: boolean): TakenShipments {
    const taken: TakenShipments = { lines: [], inputs: [] };
    const kept = new Map<string, Entry>();
    for (const [key, entry] of this.entries) {
      if (!final && key === this.openKey) {
        kept.set(key, entry);
        continue;
      }
      taken.lines.push(entry.line);
      taken.inputs.push(entry.input);
    }
    this.entries = kept;
    return taken;
  }
}

export interface TakenShipments {
  /** Per shipment: its first line in the batch. */
  lines: number[];
  inputs: ShipmentInput[];
}

/** What an operator should hear about a parsed address, or null when it is complete. */
function addressProblem(record: AddressRecord): string | null {
  if (record.countryCode === null) return 'no recognisable country; kept as is, without a location';
  if (record.zip !== null) return null;
  if (record.city === null) {
    return 'no recognisable postcode or city; kept as is, without a location';
  }
  // A country without postcodes (Hong Kong) is complete with its city.
  return hasPostcodes(record.countryCode)
    ? `no recognisable postcode; located by its city "${record.city}"`
    : null;
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
      const problem = addressProblem(record);
      if (problem) warn(report, line, `${side}_address "${address}" has ${problem}`);
    }
    return record;
  }
}

/**
 * Adds a write's counts to the report (the upsert counts a shipment once per import). A
 * shipment an earlier batch wrote came back after other shipments: said, since a repeated sku
 * across its two parts can't be caught, and taken off the file's count (the parse counted it twice).
 */
export function recordWritten(
  report: ImportReport,
  { lines, inputs }: TakenShipments,
  result: UpsertResult,
): void {
  for (const counter of Object.keys(noUpsertCounts()) as (keyof UpsertCounts)[])
    report[counter] += result[counter];
  result.writtenEarlier.forEach((earlier, index) => {
    if (!earlier) return;
    report.shipmentsInFile--;
    const { carrier, trackingNumber } = inputs[index];
    warn(
      report,
      lines[index],
      `shipment ${carrier} ${trackingNumber} continues here, after other shipments; keep a ` +
        "shipment's rows together so a repeated sku among them is caught",
    );
  });
}
