import { Coordinates } from '@app/weather';
import { ParsedLocation } from './address/parse-address';
import { CanonicalStatus } from './status/canonical-status';

/** An address as stored: the imported line and the location parsed from it. */
export interface AddressRecord extends ParsedLocation {
  line: string;
}

export interface ArticleRecord {
  sku: string;
  name: string;
  quantity: number;
  /** numeric(12,2) as Postgres sends it (a string or number); mappers make it a number. */
  price: string | number;
}

/** A shipment as the lib hands it out: plain data, never a TypeORM entity. */
export interface ShipmentRecord {
  carrier: string;
  trackingNumber: string;
  status: CanonicalStatus;
  carrierStatus: string;
  sender: AddressRecord;
  receiver: AddressRecord;
  articles: ArticleRecord[];
  updatedAt: Date;
  /** When the current status was recorded (its event's time); null for a shipment with no history. */
  statusSince: Date | null;
  /** Where the weather is asked for; null when the receiver address has no city or postcode and no country. */
  receiverLocation: LocationRecord | null;
}

/** One status a shipment has had: what the carrier said, and when. */
export interface StatusEventRecord {
  status: CanonicalStatus;
  carrierStatus: string;
  /** The file's `status_time`, or the time of the import that recorded it. */
  at: Date;
}

/** A looked-up shipment: the record and its status history. */
export interface ShipmentWithHistory extends ShipmentRecord {
  /**
   * Newest first in the order the imports recorded them (the order the status went through,
   * even where a file's `status_time` is earlier than an earlier import's time): the first is
   * the current status. At most MAX_LOOKUP_EVENTS.
   */
  events: StatusEventRecord[];
}

/** The events a lookup returns: the newest, so a shipment tracked for years stays one small answer. */
export const MAX_LOOKUP_EVENTS = 100;

/** A row of the locations table, as the weather needs it. */
export interface LocationRecord {
  id: string;
  countryCode: string;
  /** Null for a location found by its city alone. */
  zip: string | null;
  city: string | null;
  coordinates: Coordinates | null;
}

export interface ShipmentPage {
  items: ShipmentRecord[];
  total: number;
}

export interface ListShipmentsFilter {
  carrier?: string;
  status?: CanonicalStatus;
  /** Only shipments changed at or after this time. */
  updatedSince?: Date;
  offset: number;
  limit: number;
}

/** One shipment ready to be written: what the importer builds from a group of CSV rows. */
export interface ShipmentInput {
  carrier: string;
  trackingNumber: string;
  carrierStatus: string;
  /**
   * When the carrier reported the status: the file's `status_time` as ISO 8601 in UTC; absent or
   * null: the import's time.
   */
  statusTime?: string | null;
  sender: AddressRecord;
  receiver: AddressRecord;
  articles: ArticleInput[];
}

export interface ArticleInput {
  sku: string;
  name: string;
  quantity: number;
  /** Decimal string with at most two places, so no float rounding on the way to numeric(12,2). */
  price: string;
}

export interface UpsertCounts {
  shipmentsCreated: number;
  shipmentsUpdated: number;
  shipmentsUnchanged: number;
  articlesCreated: number;
  articlesUpdated: number;
  articlesUnchanged: number;
  /** Status changes recorded in the history (a new shipment's first status counts). */
  statusEvents: number;
}

export type ShipmentOutcome = 'created' | 'updated' | 'unchanged';

/** Nothing written yet. */
export function noUpsertCounts(): UpsertCounts {
  return {
    shipmentsCreated: 0,
    shipmentsUpdated: 0,
    shipmentsUnchanged: 0,
    articlesCreated: 0,
    articlesUpdated: 0,
    articlesUnchanged: 0,
    statusEvents: 0,
  };
}

/** The counts of one upsert, and what happened to each shipment, in input order. */
export interface UpsertResult extends UpsertCounts {
  shipmentOutcomes: ShipmentOutcome[];
  /** Per shipment: an earlier statement of the same transaction created it (not counted again). */
  writtenEarlier: boolean[];
}
