import { Injectable } from '@nestjs/common';
import { ShipmentNotFoundError, ZipMismatchError } from './shipments.errors';
import { ShipmentsRepository } from './shipments.repository';
import { ListShipmentsFilter, ShipmentPage, ShipmentRecord } from './shipment.types';

/** Who is asking: an operator sees everything; anyone else may prove they are the receiver. */
export interface LookupAccess {
  operator: boolean;
  /** A postcode offered to see the full addresses. */
  zip?: string;
}

export interface ShipmentLookup {
  shipment: ShipmentRecord;
  /** Whether the street lines may be shown to this caller. */
  revealAddresses: boolean;
}

@Injectable()
export class ShipmentsService {
  constructor(private readonly repository: ShipmentsRepository) {}

  /**
   * Finds a shipment and decides whether its full addresses may be shown: to operators, and to
   * whoever knows the receiver's postcode (compared ignoring case and spaces).
   * @throws ShipmentNotFoundError, ZipMismatchError
   */
  async lookup(
    carrier: string,
    trackingNumber: string,
    access: LookupAccess,
  ): Promise<ShipmentLookup> {
    const shipment = await this.repository.findByCarrierAndTrackingNumber(carrier, trackingNumber);
    if (!shipment) throw new ShipmentNotFoundError(carrier.trim(), trackingNumber.trim());
    if (access.zip === undefined) return { shipment, revealAddresses: access.operator };
    const receiverZip = shipment.receiver.zip;
    if (receiverZip === null || compactZip(access.zip) !== compactZip(receiverZip)) {
      if (!access.operator) throw new ZipMismatchError();
    }
    return { shipment, revealAddresses: true };
  }

  list(filter: ListShipmentsFilter): Promise<ShipmentPage> {
    return this.repository.list(filter);
  }
}

function compactZip(zip: string): string {
  return zip.replace(/\s+/g, '').toUpperCase();
}
