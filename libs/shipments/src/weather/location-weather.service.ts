import { normalizePostcode, WeatherLocation, WeatherOutcome, WeatherService } from '@app/weather';
import { Injectable } from '@nestjs/common';
import { LocationsRepository } from '../locations.repository';
import { toWeatherLocation } from './receiver-weather.service';

/** The weather at a postcode (GET /api/v1/weather), using the coordinates already known for it. */
@Injectable()
export class LocationWeatherService {
  constructor(
    private readonly weather: WeatherService,
    private readonly locations: LocationsRepository,
  ) {}

  async forPostcode(
    zip: string,
    countryCode: string,
  ): Promise<WeatherOutcome & { location: WeatherLocation }> {
    const normalized = normalizePostcode(zip, countryCode);
    const known = await this.locations.findByCountryAndZip(countryCode, normalized);
    const location: WeatherLocation = known
      ? toWeatherLocation(known)
      : { countryCode, zip: normalized };
    return { ...(await this.weather.getReport(location)), location };
  }
}
