/**
 * Carrier-neutral shipment states, modelled on the milestones tracking APIs already use
 * (AfterShip tags, Ship24 milestones).
 */
export const CANONICAL_STATUSES = [
  'info_received',
  'in_transit',
  'out_for_delivery',
  'failed_attempt',
  'available_for_pickup',
  'delivered',
  'exception',
  'unknown',
] as const;

export type CanonicalStatus = (typeof CANONICAL_STATUSES)[number];

/**
 * Raw carrier statuses, normalised (lower case, `-`/`_`/spaces folded to one space), mapped to the
 * canonical state. Anything not listed is `unknown`. The README documents this table.
 */
export const CARRIER_STATUS_TABLE: ReadonlyMap<string, CanonicalStatus> = new Map(
  Object.entries({
    'info received': 'info_received',
    'label created': 'info_received',
    'pre transit': 'info_received',
    'shipment information received': 'info_received',
    registered: 'info_received',
    'in transit': 'in_transit',
    transit: 'in_transit',
    'inbound scan': 'in_transit',
    'outbound scan': 'in_transit',
    scanned: 'in_transit',
    'picked up': 'in_transit',
    'arrived at facility': 'in_transit',
    'departed facility': 'in_transit',
    'in delivery': 'out_for_delivery',
    delivery: 'out_for_delivery',
    'out for delivery': 'out_for_delivery',
    'failed attempt': 'failed_attempt',
    'delivery attempted': 'failed_attempt',
    'attempted delivery': 'failed_attempt',
    'not delivered': 'failed_attempt',
    'available for pickup': 'available_for_pickup',
    'ready for pickup': 'available_for_pickup',
    'at pickup point': 'available_for_pickup',
    delivered: 'delivered',
    'delivered to neighbour': 'delivered',
    'delivered to neighbor': 'delivered',
    exception: 'exception',
    returned: 'exception',
    'return to sender': 'exception',
    damaged: 'exception',
    lost: 'exception',
    cancelled: 'exception',
    canceled: 'exception',
  } satisfies Record<string, CanonicalStatus>),
);

export function normalizeCarrierStatus(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/** Maps a raw carrier status to its canonical state; unmapped values are `unknown`, never an error. */
export function toCanonicalStatus(raw: string): CanonicalStatus {
  return CARRIER_STATUS_TABLE.get(normalizeCarrierStatus(raw)) ?? 'unknown';
}
