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

/** PostgreSQL could not be reached; the message names the target, never the password. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(target: string, cause: unknown) {
    const code = (cause as { code?: string } | null)?.code;
    const reason = (cause instanceof Error && cause.message) || code || 'connection failed';
    super(`Cannot connect to PostgreSQL at ${target}: ${reason}`, { cause });
  }
}
