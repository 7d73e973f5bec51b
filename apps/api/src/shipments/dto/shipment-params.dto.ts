import { LookupKey } from '../../common/validation';

/** Path parameters of a shipment lookup; matched case- and surrounding-whitespace-insensitively. */
export class ShipmentParamsDto {
  @LookupKey('The carrier, as imported (any case).', 'DHL')
  carrier: string;

  @LookupKey('The tracking number (any case).', 'TN12345678')
  trackingNumber: string;
}
