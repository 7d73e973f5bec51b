import { RepeatedLog } from '@app/infra';
import { WeatherLocation, WeatherOutcome, WeatherService } from '@app/weather';
import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { LocationsRepository } from '../locations.repository';
import { LocationRecord, ShipmentRecord } from '../shipment.types';

const NO_LOCATION: WeatherOutcome = {
  report: null,
  error:
    'the receiver address has no recognisable country with a postcode or city, so there is no place to ask the weather for',
  failure: 'no_location',
};

/**
 * The weather at a shipment's receiver, and the trace each weather fetch leaves on its location
 * (coordinates for good, the reading's metadata or the failure), written off the lookup's path.
 */
@Injectable()
export class ReceiverWeatherService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReceiverWeatherService.name);
  private readonly pendingRecords = new Set<Promise<void>>();
  /** While the database is away every fetch record fails: said once a minute, with a count. */
  private readonly recordFailures = new RepeatedLog(this.logger);

  constructor(
    private readonly weather: WeatherService,
    private readonly locations: LocationsRepository,
  ) {}

  onModuleInit(): void {
    this.weather.onFetched((event) => {
      const write = this.locations.recordWeatherFetch(event).catch((error: Error) => {
        this.recordFailures.warn(
          'record',
          `Could not record a weather fetch (a location in ${event.location.countryCode}): ${error.message}`,
        );
      });
      this.pendingRecords.add(write);
      void write.finally(() => this.pendingRecords.delete(write));
    });
  }

  /** Lets the last fetch records reach the database before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.recordsWritten();
  }

  /** Resolves when every fetch recorded so far is in the database. */
  async recordsWritten(): Promise<void> {
    await Promise.all([...this.pendingRecords]);
  }

  /** The current weather at the shipment's receiver, or why there is none. */
  forShipment(shipment: ShipmentRecord): Promise<WeatherOutcome> {
    const location = shipment.receiverLocation;
    return location
      ? this.weather.getReport(toWeatherLocation(location))
      : Promise.resolve(NO_LOCATION);
  }
}

export function toWeatherLocation({
  countryCode,
  zip,
  city,
  coordinates,
}: LocationRecord): WeatherLocation {
  return { countryCode, zip, city, coordinates };
}
