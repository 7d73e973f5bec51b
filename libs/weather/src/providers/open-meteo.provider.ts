import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import {
  failureForStatus,
  requireNumber,
  UpstreamCallOptions,
  UpstreamHttp,
} from '../upstream-http';
import { WeatherUpstreamError } from '../weather.errors';
import { ProviderReading, WeatherProvider } from '../weather-provider';
import { Coordinates, WeatherLocation } from '../weather-report';
import { compactPostcode, geocoderPostcode } from '../postcodes';
import { describeWmoCode } from './wmo-codes';

const NAME = 'open-meteo';
const CURRENT =
  'temperature_2m,relative_humidity_2m,apparent_temperature,is_day,weather_code,wind_speed_10m,wind_direction_10m';

interface GeocodingResult {
  latitude?: unknown;
  longitude?: unknown;
  feature_code?: string;
  postcodes?: string[];
}

interface ZippopotamBody {
  places?: { latitude?: unknown; longitude?: unknown }[];
}

interface ForecastBody {
  utc_offset_seconds?: unknown;
  current?: Record<string, unknown>;
}

/**
 * Open-Meteo, keyless. Its geocoder indexes few postcodes, so the city is searched within the
 * country and the postcode only picks among the candidates; without a match, Zippopotam geocodes
 * the postcode itself. Then current conditions in °C and m/s.
 */
@Injectable()
export class OpenMeteoProvider extends WeatherProvider {
  readonly name = NAME;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Asked by city first (preferring a result with the postcode): the city is in the key. */
  override geocodeKey(location: WeatherLocation): string {
    return `${super.geocodeKey(location)}:${location.city?.trim().toLowerCase() ?? ''}`;
  }

  async geocode(location: WeatherLocation, options: UpstreamCallOptions): Promise<Coordinates> {
    const byCity = location.city ? await this.searchCity(location, options) : null;
    if (byCity) return byCity;
    if (location.zip === null) {
      throw failureForStatus(NAME, 404, `city ${location.city} in ${location.countryCode}`);
    }
    return this.searchPostcode(location.countryCode, location.zip, options);
  }

  async current(
    { latitude, longitude }: Coordinates,
    options: UpstreamCallOptions,
  ): Promise<ProviderReading> {
    const response = await this.http.get(
      NAME,
      '/v1/forecast',
      `${this.config.weather.openMeteoBaseUrl}/v1/forecast`,
      { latitude, longitude, current: CURRENT, wind_speed_unit: 'ms', timezone: 'auto' },
      options,
    );
    if (response.status !== 200)
      throw this.failure(response.status, response.data, 'the coordinates of this location');
    const body = response.data as ForecastBody;
    const current = body?.current;
    if (!current || typeof current !== 'object') throw invalid('current missing');
    const { condition, description } = describeWmoCode(
      requireNumber(NAME, current.weather_code, 'current.weather_code'),
    );
    return {
      temperature: requireNumber(NAME, current.temperature_2m, 'current.temperature_2m'),
      feelsLike: requireNumber(NAME, current.apparent_temperature, 'current.apparent_temperature'),
      humidity: requireNumber(NAME, current.relative_humidity_2m, 'current.relative_humidity_2m'),
      windSpeed: requireNumber(NAME, current.wind_speed_10m, 'current.wind_speed_10m'),
      condition,
      description,
      observedAt: toUtc(current.time, body.utc_offset_seconds),
    };
  }

  /** Open-Meteo geocoding by city within the country; null when nothing matches. */
  private async searchCity(
    location: WeatherLocation,
    options: UpstreamCallOptions,
  ): Promise<Coordinates | null> {
    const response = await this.http.get(
      NAME,
      '/v1/search',
      `${this.config.weather.openMeteoGeocodingBaseUrl}/v1/search`,
      // countryCode is compared exactly against upper case; count >= 10 as filters may apply after it.
      {
        name: location.city ?? '',
        count: 10,
        language: 'en',
        countryCode: location.countryCode.toUpperCase(),
        format: 'json',
      },
      options,
    );
    if (response.status !== 200)
      throw this.failure(
        response.status,
        response.data,
        `city ${location.city} in ${location.countryCode}`,
      );
    // No match is a 200 without a `results` key.
    const results = (response.data as { results?: GeocodingResult[] } | null)?.results ?? [];
    if (results.length === 0) return null;
    const zip =
      location.zip === null
        ? null
        : compactPostcode(geocoderPostcode(location.zip, location.countryCode));
    const best =
      results.find((result) => result.postcodes?.some((code) => compactPostcode(code) === zip)) ??
      results.find((result) => result.feature_code?.startsWith('PPL')) ??
      results[0];
    return {
      latitude: requireNumber(NAME, best.latitude, 'latitude'),
      longitude: requireNumber(NAME, best.longitude, 'longitude'),
    };
  }

  /** Zippopotam (GeoNames postal data): lat/lon arrive as strings; 404 is an unknown postcode. */
  private async searchPostcode(
    countryCode: string,
    zip: string,
    options: UpstreamCallOptions,
  ): Promise<Coordinates> {
    const location = { countryCode };
    const code = geocoderPostcode(zip, countryCode);
    const response = await this.http.get(
      'zippopotam',
      '/{country}/{postcode}',
      `${this.config.weather.zippopotamBaseUrl}/${location.countryCode.toLowerCase()}/${encodeURIComponent(code)}`,
      {},
      options,
    );
    // Never the postcode itself: these words reach the public lookup's weatherError.
    const what = `this postcode in ${location.countryCode}`;
    if (response.status !== 200) throw failureForStatus(NAME, response.status, what);
    const place = (response.data as ZippopotamBody | null)?.places?.[0];
    if (!place) throw failureForStatus(NAME, 404, what);
    return {
      latitude: requireNumber(NAME, place.latitude, 'latitude'),
      longitude: requireNumber(NAME, place.longitude, 'longitude'),
    };
  }

  /** Errors carry `{"error":true,"reason":"..."}`; the reason is safe to quote (no key in it). */
  private failure(status: number, body: unknown, what: string): WeatherUpstreamError {
    const failure = failureForStatus(NAME, status, what);
    const reason = (body as { reason?: unknown } | null)?.reason;
    if (typeof reason !== 'string') return failure;
    return new WeatherUpstreamError(
      failure.kind,
      NAME,
      `${failure.message}: ${reason.slice(0, 200)}`,
    );
  }
}

/** `current.time` is local (`YYYY-MM-DDTHH:MM`, timezone=auto); the offset makes it UTC. */
function toUtc(time: unknown, offsetSeconds: unknown): string {
  if (typeof time !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(time))
    throw invalid('current.time missing');
  const offset = typeof offsetSeconds === 'number' ? offsetSeconds : 0;
  const localAsUtc = Date.parse(`${time.slice(0, 16)}:00Z`);
  return new Date(localAsUtc - offset * 1000).toISOString();
}

function invalid(detail: string): WeatherUpstreamError {
  return new WeatherUpstreamError(
    'invalid_response',
    NAME,
    `${NAME} sent an unexpected body (${detail})`,
  );
}
