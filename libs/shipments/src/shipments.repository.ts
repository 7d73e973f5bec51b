import { Injectable } from '@nestjs/common';
import { DatabaseAvailability } from '@app/infra';
import { DataSource } from 'typeorm';
import { toCoordinates } from './locations.repository';
import { CanonicalStatus } from './status/canonical-status';
import {
  ADDRESS_PARTS,
  LOOKUP_SQL,
  LIST_COLUMNS,
  RECORD_FROM,
  Side,
} from './schema/shipment-columns';
import { upsertShipments } from './schema/upsert';
import {
  AddressRecord,
  ArticleRecord,
  ListShipmentsFilter,
  ShipmentInput,
  ShipmentPage,
  ShipmentRecord,
  ShipmentWithHistory,
  StatusEventRecord,
  UpsertResult,
} from './shipment.types';

/** A row of RECORD_COLUMNS: the data columns by name, then what the query adds. */
type RecordRow = Record<string, string | null> & {
  status: string;
  updated_at: Date;
  articles: ArticleRecord[];
  location_id: string | null;
  location_city: string | null;
  latitude: number | null;
  longitude: number | null;
};

/** All SQL about shipments and articles. */
@Injectable()
export class ShipmentsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly database: DatabaseAvailability,
  ) {}

  /** Case- and surrounding-whitespace-insensitive, served by the unique expression index. */
  async findByCarrierAndTrackingNumber(
    carrier: string,
    trackingNumber: string,
  ): Promise<ShipmentWithHistory | null> {
    return (await this.findForLookup(carrier, trackingNumber))?.record ?? null;
  }

  /**
   * The shipment with the shipments' version its data was read at (LookupCache keeps it only
   * when that is the version it knows). From a read replica when there are some.
   */
  async findForLookup(carrier: string, trackingNumber: string): Promise<VersionedRecord | null> {
    const rows = await this.database.read<LookupRow>(
      LOOKUP_SQL,
      [carrier.trim(), trackingNumber.trim()],
      'shipment_lookup',
    );
    if (rows.length === 0) return null;
    const [row] = rows;
    // Newest first: the first event is the one that set the current status.
    const events = row.events.map(toEvent);
    return {
      record: { ...toRecord(row, events[0]?.at ?? null), events },
      version: row.data_version,
    };
  }

  /** Carrier and tracking number of the first shipment, or null when there is none. */
  async findFirstKey(): Promise<{ carrier: string; trackingNumber: string } | null> {
    const rows: { carrier: string; tracking_number: string }[] = await this.database.query(
      'SELECT carrier, tracking_number FROM shipments ORDER BY id LIMIT 1',
    );
    return rows.length > 0
      ? { carrier: rows[0].carrier, trackingNumber: rows[0].tracking_number }
      : null;
  }

  async list(filter: ListShipmentsFilter): Promise<ShipmentPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.carrier) {
      params.push(filter.carrier.trim());
      where.push(`lower(s.carrier) = lower($${params.length})`);
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`s.status = $${params.length}`);
    }
    if (filter.updatedSince) {
      params.push(filter.updatedSince);
      where.push(`s.updated_at >= $${params.length}`);
    }
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // Both from a replica when there are some: the page may be a moment behind, never wrong.
    const [{ total }] = await this.database.read<{ total: string }>(
      `SELECT count(*) AS total FROM shipments s ${whereSql}`,
      params,
    );
    const rows = await this.database.read<RecordRow & { status_since: Date | null }>(
      `SELECT ${LIST_COLUMNS} FROM ${RECORD_FROM} ${whereSql}
        ORDER BY s.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { items: rows.map((row) => toRecord(row, row.status_since)), total: Number(total) };
  }

  /**
   * Inserts or updates shipments and their articles in one transaction. Rows whose values did not
   * change are left untouched (no new updated_at), so re-importing a file changes nothing.
   * Shipment keys must be unique within the batch.
   */
  upsertMany(shipments: ShipmentInput[]): Promise<UpsertResult> {
    return this.inOneTransaction((writer) => writer.upsertMany(shipments));
  }

  /**
   * Runs `work` with a writer whose upserts all belong to one transaction, committed when `work`
   * resolves and rolled back when it throws (or the process dies): an import is applied whole
   * or not at all, so no shipment is ever left with part of its articles.
   */
  async inOneTransaction<T>(work: (writer: ShipmentWriter) => Promise<T>): Promise<T> {
    return this.database.run(() =>
      this.dataSource.transaction(async (manager) => {
        let changed = false;
        const result = await work({
          upsertMany: async (shipments) => {
            const upserted = await upsertShipments(manager, shipments);
            changed ||= hasChanges(upserted);
            return upserted;
          },
        });
        // Last, so the row is locked only for the commit; committed with the data it announces.
        if (changed) await manager.query(BUMP_VERSION_SQL);
        return result;
      }),
    );
  }

  /**
   * The shipments' version: it changes with every committed import that changed something
   * (LookupCache polls it). Prepared: every instance asks four times a second.
   */
  async version(): Promise<string> {
    const [row] = await this.database.prepared<{ version: string }>(
      'shipments_version',
      VERSION_SQL,
      [],
    );
    return row.version;
  }
}

/** A looked-up shipment and the shipments' version it was read at. */
export interface VersionedRecord {
  record: ShipmentWithHistory;
  version: string;
}

/** Upserts inside a transaction that someone else commits. */
export interface ShipmentWriter {
  upsertMany(shipments: ShipmentInput[]): Promise<UpsertResult>;
}

const VERSION_SQL = 'SELECT version FROM shipments_version';
const BUMP_VERSION_SQL = 'UPDATE shipments_version SET version = version + 1';

function hasChanges(result: UpsertResult): boolean {
  return (
    result.shipmentsCreated +
      result.shipmentsUpdated +
      result.articlesCreated +
      result.articlesUpdated >
    0
  );
}

/** LOOKUP_SQL's row: a record with its history and the shipments' version. */
type LookupRow = RecordRow & {
  events: { status: string; carrierStatus: string; at: string }[];
  data_version: string;
};

/** An event as json_build_object wrote it: the time is text there. */
function toEvent(event: LookupRow['events'][number]): StatusEventRecord {
  return {
    status: event.status as CanonicalStatus,
    carrierStatus: event.carrierStatus,
    at: new Date(event.at),
  };
}

function toRecord(row: RecordRow, statusSince: Date | null): ShipmentRecord {
  const address = (side: Side): AddressRecord => {
    const record: Record<string, string | null> = {};
    for (const [part, field] of Object.entries(ADDRESS_PARTS))
      record[field] = row[`${side}_${part}`] ?? null;
    return record as unknown as AddressRecord;
  };
  return {
    carrier: row.carrier!,
    trackingNumber: row.tracking_number!,
    status: row.status as CanonicalStatus,
    carrierStatus: row.carrier_status!,
    sender: address('sender'),
    receiver: address('receiver'),
    articles: row.articles,
    updatedAt: row.updated_at,
    statusSince,
    receiverLocation:
      row.location_id === null
        ? null
        : {
            id: row.location_id,
            countryCode: row.receiver_country_code as string,
            zip: row.receiver_zip as string,
            city: row.location_city,
            coordinates: toCoordinates(row),
          },
  };
}
