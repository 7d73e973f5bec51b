import { CanonicalStatus, toCanonicalStatus } from './canonical-status';

describe(toCanonicalStatus.name, () => {
  it.each<[string, CanonicalStatus]>([
    ['in-transit', 'in_transit'],
    ['transit', 'in_transit'],
    ['inbound-scan', 'in_transit'],
    ['scanned', 'in_transit'],
    ['delivery', 'out_for_delivery'],
    ['IN_TRANSIT', 'in_transit'],
    ['  Out  For-Delivery ', 'out_for_delivery'],
    ['delivered', 'delivered'],
    ['Ready for pickup', 'available_for_pickup'],
    ['failed_attempt', 'failed_attempt'],
    ['label-created', 'info_received'],
    ['returned', 'exception'],
    ['teleported', 'unknown'],
    ['', 'unknown'],
    // Input, not an object's own properties: never a function or a prototype.
    ['constructor', 'unknown'],
    ['__proto__', 'unknown'],
    ['toString', 'unknown'],
    ['hasOwnProperty', 'unknown'],
  ])('maps %j to %s', (raw, expected) => {
    expect(toCanonicalStatus(raw)).toBe(expected);
  });
});
