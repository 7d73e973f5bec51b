import { checkFields, LookupKey, lookupKeyProblems } from '../../common/validation';

/** Path parameters of a shipment lookup; matched case- and surrounding-whitespace-insensitively. */
export class ShipmentParamsDto {
  @LookupKey('The carrier, as imported (any case).', 'DHL')
  carrier: string;

  @LookupKey('The tracking number (any case).', 'TN12345678')
  trackingNumber: string;

  /** PlainlyChecked: the global pipe's fast path on every lookup. */
  static check(value: unknown): ShipmentParamsDto {
    return checkFields<ShipmentParamsDto>(value, {
      carrier: lookupKeyProblems,
      trackingNumber: lookupKeyProblems,
    });
  }
}
