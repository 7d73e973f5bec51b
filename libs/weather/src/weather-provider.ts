import { WeatherProviderName } from '@app/config';
import { geocodeKey } from './postcodes';
import { UpstreamCallOptions } from './upstream-http';
import { Coordinates, WeatherLocation, WeatherReport } from './weather-report';

/** What the service needs back from a provider; the service adds fetchedAt, stale, location. */
export type ProviderReading = Omit<WeatherReport, 'fetchedAt' | 'stale' | 'location' | 'provider'>;

/**
 * One class per upstream (chosen by WEATHER_PROVIDER); also the DI token. Implementations call
 * through UpstreamHttp (timeout and call budget on every request) and throw WeatherUpstreamError.
 */
export abstract class WeatherProvider {
  abstract readonly name: WeatherProviderName;

  /**
   * What this provider's geocoding is asked for a location, as a cache key: two locations with
   * the same key get the same coordinates, so they cost one call. By default the country and
   * the part of the postcode the geocoders know (`1016` and `1016 AB` are one).
   */
  geocodeKey(location: WeatherLocation): string {
    return geocodeKey(location);
  }

  /** Coordinates of a postcode. Called once per location, ever: the caller keeps the result. */
  abstract geocode(location: WeatherLocation, options: UpstreamCallOptions): Promise<Coordinates>;

  /** Current conditions at the coordinates. */
  abstract current(
    coordinates: Coordinates,
    options: UpstreamCallOptions,
  ): Promise<ProviderReading>;
}
