import { Injectable } from '@nestjs/common';
import { DatabaseAvailability } from '@app/infra';
import { DataSource, EntityManager } from 'typeorm';
import { toCoordinates } from './locations.repository';
import { CanonicalStatus, toCanonicalStatus } from './status/canonical-status';
import {
  AddressRecord,
  ArticleRecord,
  ListShipmentsFilter,
  ShipmentInput,
  ShipmentPage,
  ShipmentRecord,
  ShipmentOutcome,
  UpsertCounts,
  UpsertResult,
} from './shipment.types';

/** Columns of a ShipmentRecord, articles aggregated in the same query (one round trip). */
const RECORD_COLUMNS = `
  s.carrier, s.tracking_number, s.status, s.carrier_status, s.updated_at,
  s.sender_address, s.sender_zip, s.sender_city, s.sender_country, s.sender_country_code,
  s.receiver_address, s.receiver_zip, s.receiver_city, s.receiver_country, s.receiver_country_code,
  COALESCE((
    SELECT json_agg(json_build_object(
      'sku', a.sku, 'name', a.name, 'quantity', a.quantity, 'price', a.price) ORDER BY a.id)
    FROM articles a WHERE a.shipment_id = s.id
  ), '[]'::json) AS articles,
  l.id AS location_id, l.city AS location_city, l.latitude, l.longitude`;

/** A shipment with its receiver location (coordinates for the weather) in the same row. */
const RECORD_FROM = 'shipments s LEFT JOIN locations l ON l.id = s.receiver_location_id';

interface RecordRow {
  location_id: string | null;
  location_city: string | null;
  latitude: number | null;
  longitude: number | null;
  carrier: string;
  tracking_number: string;
  status: string;
  carrier_status: string;
  updated_at: Date;
  articles: ArticleRecord[];
  [column: string]: unknown;
}

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
  ): Promise<ShipmentRecord | null> {
    const rows: RecordRow[] = await this.database.query(
      `SELECT ${RECORD_COLUMNS} FROM ${RECORD_FROM}
        WHERE lower(s.carrier) = lower($1) AND lower(s.tracking_number) = lower($2)`,
      [carrier.trim(), trackingNumber.trim()],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
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
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }]: { total: string }[] = await this.database.query(
      `SELECT count(*) AS total FROM shipments s ${whereSql}`,
      params,
    );
    const rows: RecordRow[] = await this.database.query(
      `SELECT ${RECORD_COLUMNS} FROM ${RECORD_FROM} ${whereSql}
        ORDER BY s.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { items: rows.map(toRecord), total: Number(total) };
  }

  /**
   * Inserts or updates shipments and their articles in one transaction. Rows whose values did not
   * change are left untouched (no new updated_at), so re-importing a file changes nothing.
   * Shipment keys must be unique within the batch.
   */
  upsertMany(shipments: ShipmentInput[]): Promise<UpsertResult> {
    return this.database.run(() =>
      this.dataSource.transaction((manager) => upsertShipmentsAndArticles(manager, shipments)),
    );
  }

  /**
   * Runs `work` with a writer whose upserts all belong to one transaction, committed when `work`
   * resolves and rolled back when it throws (or the process dies): an import is applied whole
   * or not at all, so no shipment is ever left with part of its articles.
   */
  async inOneTransaction<T>(work: (writer: ShipmentWriter) => Promise<T>): Promise<T> {
    return this.database.run(() =>
      this.dataSource.transaction((manager) =>
        work({ upsertMany: (shipments) => upsertShipmentsAndArticles(manager, shipments) }),
      ),
    );
  }
}

/** Upserts inside a transaction that someone else commits. */
export interface ShipmentWriter {
  upsertMany(shipments: ShipmentInput[]): Promise<UpsertResult>;
}

async function upsertShipmentsAndArticles(
  manager: EntityManager,
  shipments: ShipmentInput[],
): Promise<UpsertResult> {
  const column = <T>(pick: (shipment: ShipmentInput) => T): T[] => shipments.map(pick);
  const addressColumns = (side: 'sender' | 'receiver'): unknown[][] => [
    column((s) => s[side].line),
    column((s) => s[side].zip),
    column((s) => s[side].city),
    column((s) => s[side].country),
    column((s) => s[side].countryCode),
  ];
  // Receiver locations first, so the shipments below can point at them.
  await manager.query(
    `INSERT INTO locations (country_code, zip, city)
     SELECT DISTINCT ON (country_code, zip) country_code, zip, city
       FROM unnest($1::text[], $2::text[], $3::text[]) AS t(country_code, zip, city)
      WHERE country_code IS NOT NULL AND zip IS NOT NULL
     ON CONFLICT (country_code, zip) DO NOTHING`,
    [
      column((s) => s.receiver.countryCode),
      column((s) => s.receiver.zip),
      column((s) => s.receiver.city),
    ],
  );
  const shipmentRows: { ord: number; id: string; inserted: boolean | null }[] = await manager.query(
    `WITH input AS (
       SELECT t.*, l.id AS receiver_location_id FROM unnest(
         $1::text[], $2::text[], $3::text[], $4::text[],
         $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
         $10::text[], $11::text[], $12::text[], $13::text[], $14::text[]
       ) WITH ORDINALITY AS t(
         carrier, tracking_number, status, carrier_status,
         sender_address, sender_zip, sender_city, sender_country, sender_country_code,
         receiver_address, receiver_zip, receiver_city, receiver_country, receiver_country_code, ord)
       LEFT JOIN locations l ON l.country_code = t.receiver_country_code AND l.zip = t.receiver_zip
     ), upserted AS (
       INSERT INTO shipments AS s (
         carrier, tracking_number, status, carrier_status,
         sender_address, sender_zip, sender_city, sender_country, sender_country_code,
         receiver_address, receiver_zip, receiver_city, receiver_country, receiver_country_code,
         receiver_location_id)
       SELECT carrier, tracking_number, status, carrier_status,
         sender_address, sender_zip, sender_city, sender_country, sender_country_code,
         receiver_address, receiver_zip, receiver_city, receiver_country, receiver_country_code,
         receiver_location_id
       FROM input ORDER BY ord
       ON CONFLICT (lower(carrier), lower(tracking_number)) DO UPDATE SET
         carrier = EXCLUDED.carrier, tracking_number = EXCLUDED.tracking_number,
         status = EXCLUDED.status, carrier_status = EXCLUDED.carrier_status,
         sender_address = EXCLUDED.sender_address, sender_zip = EXCLUDED.sender_zip,
         sender_city = EXCLUDED.sender_city, sender_country = EXCLUDED.sender_country,
         sender_country_code = EXCLUDED.sender_country_code,
         receiver_address = EXCLUDED.receiver_address, receiver_zip = EXCLUDED.receiver_zip,
         receiver_city = EXCLUDED.receiver_city, receiver_country = EXCLUDED.receiver_country,
         receiver_country_code = EXCLUDED.receiver_country_code,
         receiver_location_id = EXCLUDED.receiver_location_id,
         updated_at = now()
       WHERE (s.carrier, s.tracking_number, s.status, s.carrier_status,
              s.sender_address, s.sender_zip, s.sender_city, s.sender_country, s.sender_country_code,
              s.receiver_address, s.receiver_zip, s.receiver_city, s.receiver_country,
              s.receiver_country_code, s.receiver_location_id)
         IS DISTINCT FROM
             (EXCLUDED.carrier, EXCLUDED.tracking_number, EXCLUDED.status, EXCLUDED.carrier_status,
              EXCLUDED.sender_address, EXCLUDED.sender_zip, EXCLUDED.sender_city,
              EXCLUDED.sender_country, EXCLUDED.sender_country_code,
              EXCLUDED.receiver_address, EXCLUDED.receiver_zip, EXCLUDED.receiver_city,
              EXCLUDED.receiver_country, EXCLUDED.receiver_country_code, EXCLUDED.receiver_location_id)
       RETURNING s.id, lower(s.carrier) AS carrier_key, lower(s.tracking_number) AS tracking_key,
                 (xmax = 0) AS inserted
     ), touched AS (
       SELECT id, carrier_key, tracking_key, inserted FROM upserted
       UNION ALL
       SELECT s.id, lower(s.carrier), lower(s.tracking_number), NULL
         FROM shipments s JOIN input i
           ON lower(s.carrier) = lower(i.carrier) AND lower(s.tracking_number) = lower(i.tracking_number)
        WHERE NOT EXISTS (SELECT 1 FROM upserted u WHERE u.id = s.id)
     )
     SELECT i.ord::int AS ord, t.id, t.inserted
       FROM touched t JOIN input i
         ON lower(i.carrier) = t.carrier_key AND lower(i.tracking_number) = t.tracking_key`,
    [
      column((s) => s.carrier),
      column((s) => s.trackingNumber),
      column((s) => toCanonicalStatus(s.carrierStatus)),
      column((s) => s.carrierStatus),
      ...addressColumns('sender'),
      ...addressColumns('receiver'),
    ],
  );

  const ids = new Array<string>(shipments.length);
  const shipmentOutcomes = new Array<ShipmentOutcome>(shipments.length);
  const counts: UpsertResult = {
    shipmentOutcomes,
    shipmentsCreated: 0,
    shipmentsUpdated: 0,
    shipmentsUnchanged: 0,
    articlesCreated: 0,
    articlesUpdated: 0,
    articlesUnchanged: 0,
  };
  for (const row of shipmentRows) {
    ids[row.ord - 1] = row.id;
    const outcome =
      row.inserted === true ? 'created' : row.inserted === false ? 'updated' : 'unchanged';
    shipmentOutcomes[row.ord - 1] = outcome;
    counts[OUTCOME_COUNTER[outcome]]++;
  }

  const articles = shipments.flatMap((shipment, index) =>
    shipment.articles.map((article) => ({ shipmentId: ids[index], ...article })),
  );
  if (articles.length === 0) return counts;
  const articleRows: { shipment_id: string; inserted: boolean }[] = await manager.query(
    `INSERT INTO articles AS a (shipment_id, sku, name, quantity, price)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::numeric[])
     ON CONFLICT (shipment_id, sku) DO UPDATE SET
       name = EXCLUDED.name, quantity = EXCLUDED.quantity, price = EXCLUDED.price, updated_at = now()
     WHERE (a.name, a.quantity, a.price) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.quantity, EXCLUDED.price)
     RETURNING a.shipment_id, (xmax = 0) AS inserted`,
    [
      articles.map((a) => a.shipmentId),
      articles.map((a) => a.sku),
      articles.map((a) => a.name),
      articles.map((a) => a.quantity),
      articles.map((a) => a.price),
    ],
  );
  for (const row of articleRows) {
    if (row.inserted) counts.articlesCreated++;
    else counts.articlesUpdated++;
  }
  counts.articlesUnchanged = articles.length - articleRows.length;

  // A changed article changes its shipment: its updatedAt must say so.
  if (articleRows.length > 0) {
    await manager.query(
      `UPDATE shipments SET updated_at = now()
        WHERE id = ANY($1::bigint[]) AND updated_at < now()`,
      [[...new Set(articleRows.map((row) => row.shipment_id))]],
    );
  }
  return counts;
}

const OUTCOME_COUNTER = {
  created: 'shipmentsCreated',
  updated: 'shipmentsUpdated',
  unchanged: 'shipmentsUnchanged',
} as const satisfies Record<ShipmentOutcome, keyof UpsertCounts>;

function toRecord(row: RecordRow): ShipmentRecord {
  const address = (side: 'sender' | 'receiver'): AddressRecord => ({
    line: row[`${side}_address`] as string,
    zip: (row[`${side}_zip`] as string | null) ?? null,
    city: (row[`${side}_city`] as string | null) ?? null,
    country: (row[`${side}_country`] as string | null) ?? null,
    countryCode: (row[`${side}_country_code`] as string | null) ?? null,
  });
  return {
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    status: row.status as CanonicalStatus,
    carrierStatus: row.carrier_status,
    sender: address('sender'),
    receiver: address('receiver'),
    articles: row.articles,
    updatedAt: row.updated_at,
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
