import { normalizePostcode, samePostcode, WeatherOutcome } from '@app/weather';
import { Injectable } from '@nestjs/common';
import { LookupCache } from './lookup-cache';
import { ZipAttempts } from './privacy/zip-attempts';
import { ReceiverWeatherService } from './weather/receiver-weather.service';
import { ShipmentNotFoundError, ZipMismatchError } from './shipments.errors';
import { ShipmentsRepository } from './shipments.repository';
import {
  ListShipmentsFilter,
  ShipmentPage,
  ShipmentRecord,
  ShipmentWithHistory,
} from './shipment.types';

/** Who is asking: an operator sees everything; anyone else may prove they are the receiver. */
export interface LookupAccess {
  operator: boolean;
  /** A postcode offered to see the full addresses. */
  zip?: string;
  /** Who is asking (the client's address), for the zip gate's lock-out. */
  client?: string;
}

export interface ShipmentLookup {
  shipment: ShipmentWithHistory;
  /** Whether the street lines may be shown to this caller. */
  revealAddresses: boolean;
  /** The weather at the receiver, or why there is none. */
  weather: WeatherOutcome;
}

@Injectable()
export class ShipmentsService {
  constructor(
    private readonly repository: ShipmentsRepository,
    private readonly receiverWeather: ReceiverWeatherService,
    private readonly zipAttempts: ZipAttempts,
    private readonly cache: LookupCache,
  ) {}

  /**
   * Finds a shipment with the weather at its receiver, and decides whether its full addresses may
   * be shown: to operators, and to whoever knows the receiver's postcode (case and spaces ignored).
   * @throws ShipmentNotFoundError, ZipMismatchError, ZipAttemptsExceededError
   */
  async lookup(
    carrier: string,
    trackingNumber: string,
    access: LookupAccess,
  ): Promise<ShipmentLookup> {
    const [key, number] = [carrier.trim(), trackingNumber.trim()];
    const shipment = await this.cache.find(key, number, () =>
      this.repository.findForLookup(key, number),
    );
    if (!shipment) throw new ShipmentNotFoundError(key, number);
    const revealAddresses = await this.mayRevealAddresses(shipment, access);
    return { shipment, revealAddresses, weather: await this.receiverWeather.forShipment(shipment) };
  }

  /**
   * Operators see everything. Anyone else offering a zip is counted by the lock-out first.
   * @throws ZipAttemptsExceededError, or ZipMismatchError when the zip is not the receiver's.
   */
  private async mayRevealAddresses(
    shipment: ShipmentRecord,
    access: LookupAccess,
  ): Promise<boolean> {
    if (access.operator) return true;
    if (access.zip === undefined) return false;
    const attempt = await this.zipAttempts.begin({
      client: access.client ?? 'unknown',
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
    });
    const { zip: receiverZip, countryCode } = shipment.receiver;
    // The receiver may type the postcode as people do (`1012js`, PL `31042`, `LV-1050`): it is
    // compared in the country's canonical form, as the import stored it.
    const matches =
      receiverZip !== null && samePostcode(normalizePostcode(access.zip, countryCode), receiverZip);
    if (!matches) throw new ZipMismatchError();
    await attempt.succeeded();
    return true;
  }

  list(filter: ListShipmentsFilter): Promise<ShipmentPage> {
    return this.repository.list(filter);
  }
}
