import {
  AddressRecord,
  parseAddress,
  ShipmentInput,
  ShipmentOutcome,
  UpsertResult,
} from '@app/shipments';
import { CsvRecord } from './csv-reader';
import { ImportReport, warn } from './import-report';

interface Entry {
  input: ShipmentInput;
  skuLines: Map<string, number>;
  lastLine: number;
}

/** A shipment written by an earlier batch: what it was counted as (once written), its last line. */
interface Written {
  counted: ShipmentOutcome | null;
  lastLine: number;
}

/**
 * Groups valid rows into ShipmentInputs (by carrier and tracking number, case-insensitively;
 * articles by sku) until they are taken for writing. The shipment of the latest row stays back
 * until the next one starts, so a shipment's consecutive rows are always written together
 * whatever the batch size: counted once, and a repeated sku among them is caught.
 */
export class ShipmentBatch {
  private entries = new Map<string, Entry>();
  private openKey: string | null = null;
  /** Every shipment written so far, so one that reappears later is counted once. */
  private readonly written = new Map<string, Written>();
  private readonly addresses = new AddressCache();

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

    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        input: { carrier, trackingNumber, carrierStatus, sender, receiver, articles: [] },
        skuLines: new Map(),
        lastLine: line,
      };
      this.entries.set(key, entry);
      const earlier = this.written.get(key);
      if (earlier) {
        warn(
          this.report,
          line,
          `shipment ${carrier} ${trackingNumber} continues here, after other shipments (its rows ` +
            `before end at line ${earlier.lastLine}); keep a shipment's rows together so a ` +
            'repeated sku among them is caught',
        );
      } else {
        this.report.shipmentsInFile++;
      }
    } else {
      // Rows of one shipment should agree; where they don't, the last row wins.
      Object.assign(entry.input, { carrier, trackingNumber, carrierStatus, sender, receiver });
    }
    this.openKey = key;
    entry.lastLine = line;

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
   * The shipments to write now: all of them at the end of the file (`final`), else all but the
   * one the latest row belongs to, which may go on in the next rows.
   */
  take(final: boolean): TakenShipments {
    const taken: TakenShipments = { keys: [], inputs: [] };
    const kept = new Map<string, Entry>();
    for (const [key, entry] of this.entries) {
      if (!final && key === this.openKey) {
        kept.set(key, entry);
        continue;
      }
      taken.keys.push(key);
      taken.inputs.push(entry.input);
      const counted = this.written.get(key)?.counted ?? null;
      this.written.set(key, { counted, lastLine: entry.lastLine });
    }
    this.entries = kept;
    return taken;
  }

  /**
   * Adds a write's counts to the report. A shipment written before in this import is counted
   * once: as created if it was, else as updated if either write changed it.
   */
  recordWritten({ keys }: TakenShipments, result: UpsertResult): void {
    const report = this.report;
    report.articlesCreated += result.articlesCreated;
    report.articlesUpdated += result.articlesUpdated;
    report.articlesUnchanged += result.articlesUnchanged;
    keys.forEach((key, index) => {
      const outcome = result.shipmentOutcomes[index];
      const written = this.written.get(key)!;
      if (written.counted === null) {
        report[COUNTER[outcome]]++;
        written.counted = outcome;
      } else if (written.counted === 'unchanged' && outcome === 'updated') {
        report.shipmentsUnchanged--;
        report.shipmentsUpdated++;
        written.counted = 'updated';
      }
    });
  }
}

export interface TakenShipments {
  keys: string[];
  inputs: ShipmentInput[];
}

const COUNTER = {
  created: 'shipmentsCreated',
  updated: 'shipmentsUpdated',
  unchanged: 'shipmentsUnchanged',
} as const satisfies Record<ShipmentOutcome, keyof ImportReport>;

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
