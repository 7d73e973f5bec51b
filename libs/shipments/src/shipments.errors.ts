/** No shipment has this carrier and tracking number. */
export class ShipmentNotFoundError extends Error {
  override readonly name = 'ShipmentNotFoundError';
  constructor(
    readonly carrier: string,
    readonly trackingNumber: string,
  ) {
    super(`No shipment with carrier "${carrier}" and tracking number "${trackingNumber}"`);
  }
}

/** The `zip` offered to see the full addresses is not the receiver's postcode. */
export class ZipMismatchError extends Error {
  override readonly name = 'ZipMismatchError';
  constructor() {
    super("The zip does not match the receiver's postcode");
  }
}
