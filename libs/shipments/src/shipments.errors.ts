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

/** Too many wrong zips for this shipment: the zip gate is locked for a while (429). */
export class ZipAttemptsExceededError extends Error {
  override readonly name = 'ZipAttemptsExceededError';
  constructor(
    /** Whether this client's attempts or everyone's attempts at the shipment hit the limit. */
    readonly scope: 'client' | 'shipment',
    readonly retryAfterSeconds: number,
  ) {
    super(
      scope === 'client'
        ? `Too many wrong zips for this shipment from your address; try again in ${retryAfterSeconds} s, or leave out zip to see the shipment without street lines`
        : `Too many wrong zips for this shipment; try again in ${retryAfterSeconds} s, or leave out zip to see the shipment without street lines`,
    );
  }
}
