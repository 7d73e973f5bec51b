import { toCanonicalStatus } from '../status/canonical-status';
import { MAX_LOOKUP_EVENTS, type AddressRecord, type ShipmentInput } from '../shipment.types';

/**
 * The data columns of `shipments`, defined once. The upsert, the read query, the row type, the
 * record mapping and the bench floor's query are all made from this list; the migrations
 * create the same columns (a test compares them with the migrated table).
 */
export interface ShipmentColumn {
  name: string;
  /** What the importer writes into it. */
  from: (shipment: ShipmentInput) => string | null;
}

/** How an address is kept: `<side>_<part>` columns, each one field of the AddressRecord. */
export const ADDRESS_PARTS = {
  address: 'line',
  zip: 'zip',
  city: 'city',
  country: 'country',
  country_code: 'countryCode',
} as const satisfies Record<string, keyof AddressRecord>;

export type Side = 'sender' | 'receiver';

const addressColumns = (side: Side): ShipmentColumn[] =>
  Object.entries(ADDRESS_PARTS).map(([part, field]) => ({
    name: `${side}_${part}`,
    from: (shipment) => shipment[side][field],
  }));

export const SHIPMENT_COLUMNS: readonly ShipmentColumn[] = [
  { name: 'carrier', from: (shipment) => shipment.carrier },
  { name: 'tracking_number', from: (shipment) => shipment.trackingNumber },
  { name: 'status', from: (shipment) => toCanonicalStatus(shipment.carrierStatus) },
  { name: 'carrier_status', from: (shipment) => shipment.carrierStatus },
  ...addressColumns('sender'),
  ...addressColumns('receiver'),
];

/** The columns the database fills itself, or the upsert from the locations table. */
export const MANAGED_COLUMNS = ['id', 'created_at', 'updated_at', 'receiver_location_id'];

/** The columns of a shipment as read: every data column, its articles, its receiver location. */
export const RECORD_COLUMNS = `
  ${SHIPMENT_COLUMNS.map((column) => `s.${column.name}`).join(', ')}, s.updated_at,
  COALESCE((
    SELECT json_agg(json_build_object(
      'sku', a.sku, 'name', a.name, 'quantity', a.quantity, 'price', a.price) ORDER BY a.id)
    FROM articles a WHERE a.shipment_id = s.id
  ), '[]'::json) AS articles,
  l.id AS location_id, l.city AS location_city, l.latitude, l.longitude`;

/**
 * The list's columns: the record and when its status was recorded, the time of its latest event
 * (the lookup reads the events themselves and takes it from the first).
 */
export const LIST_COLUMNS = `${RECORD_COLUMNS},
  (SELECT e.at FROM shipment_events e WHERE e.shipment_id = s.id ORDER BY e.id DESC LIMIT 1)
    AS status_since`;

/** A shipment with its receiver location (coordinates for the weather) in the same row. */
export const RECORD_FROM = 'shipments s LEFT JOIN locations l ON l.id = s.receiver_location_id';

/**
 * The lookup: one round trip, served by the unique expression index on lower(carrier),
 * lower(tracking_number). The API runs it, and so does the bench's floor.
 */
export const LOOKUP_SQL = `SELECT ${RECORD_COLUMNS},
    COALESCE((
      SELECT json_agg(json_build_object(
        'status', e.status, 'carrierStatus', e.carrier_status, 'at', e.at) ORDER BY e.id DESC)
      FROM (SELECT * FROM shipment_events WHERE shipment_id = s.id
             ORDER BY id DESC LIMIT ${MAX_LOOKUP_EVENTS}) e
    ), '[]'::json) AS events,
    (SELECT version FROM shipments_version) AS data_version
  FROM ${RECORD_FROM}
  WHERE lower(s.carrier) = lower($1) AND lower(s.tracking_number) = lower($2)`;
