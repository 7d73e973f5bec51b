import { cityKey, compactPostcode } from './postcodes';
import { WeatherProviderName } from '@app/config';
import { UpstreamFailure } from './weather.errors';

/** A place to ask the weather for: only postcode, country and city ever leave the service. */
export interface WeatherLocation {
  /** ISO 3166-1 alpha-2, upper case. */
  countryCode: string;
  /** Normalised postcode, as the address parser writes it; null for a location by city alone. */
  zip: string | null;
  /** City as written in the address; the geocoders search by it (alone when there is no zip). */
  city?: string | null;
  /** Known coordinates: when set, no geocoding call is made. */
  coordinates?: Coordinates | null;
}

export interface Coordinates {
  latitude: number;
  longitude: number;
}

/** One normalised reading, whatever the provider: °C, m/s, %, ISO 8601 UTC timestamps. */
export interface WeatherReport {
  temperature: number;
  feelsLike: number;
  humidity: number;
  windSpeed: number;
  /** Short group, e.g. "Clouds", "Rain". */
  condition: string;
  /** Human text, e.g. "overcast clouds". */
  description: string;
  /** When the provider computed the reading. */
  observedAt: string;
  /** When we fetched it. */
  fetchedAt: string;
  provider: WeatherProviderName;
  /** True when served past its freshness because the provider is failing. */
  stale: boolean;
  location: ReportLocation;
}

/** Where a reading is for, and whether the place was found by its postcode or its city alone. */
export interface ReportLocation {
  zip: string | null;
  countryCode: string;
  locatedBy: LocatedBy;
}

export type LocatedBy = 'postcode' | 'city';

export function locatedBy(location: Pick<WeatherLocation, 'zip'>): LocatedBy {
  return location.zip === null ? 'city' : 'postcode';
}

/**
 * Why there is no reading: an upstream failure, the circuit breaker, our own cache and budget
 * (Redis) being away, or nothing to ask for.
 */
export type WeatherFailure = UpstreamFailure | 'circuit_open' | 'cache_unavailable' | 'no_location';

/** Either a reading or the reason there is none, in words. Expected failure is a value. */
export interface WeatherOutcome {
  report: WeatherReport | null;
  error: string | null;
  failure: WeatherFailure | null;
}

/** Told to listeners after each upstream attempt (one per single-flight, not per caller). */
export interface WeatherFetchEvent {
  location: WeatherLocation;
  /** Coordinates resolved by this attempt (a geocoding call was made), to be kept for good. */
  geocoded: Coordinates | null;
  report: WeatherReport | null;
  error: string | null;
}

/** A location's key for its weather: by postcode, or by city when it has none. */
export function locationKey(
  location: Pick<WeatherLocation, 'countryCode' | 'zip' | 'city'>,
): string {
  const country = location.countryCode.toUpperCase();
  return location.zip === null
    ? `${country}:city:${cityKey(location.city)}`
    : `${country}:${compactPostcode(location.zip)}`;
}
