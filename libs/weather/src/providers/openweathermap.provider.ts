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
import { geocoderPostcode } from '../postcodes';

const NAME = 'openweathermap';

interface OwmCurrent {
  weather?: { main?: string; description?: string }[];
  main?: { temp?: unknown; feels_like?: unknown; humidity?: unknown };
  wind?: { speed?: unknown };
  dt?: unknown;
}

/**
 * OpenWeatherMap: the deprecated zip search on /data/2.5/weather is avoided; a postcode is
 * geocoded once with /geo/1.0/zip (city search as fallback) and the weather asked by coordinates.
 * Branches on the HTTP status only: the body's `cod` flips between number and string.
 */
@Injectable()
export class OpenWeatherMapProvider extends WeatherProvider {
  readonly name = NAME;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async geocode(location: WeatherLocation, options: UpstreamCallOptions): Promise<Coordinates> {
    // Never the postcode itself: these words reach the public lookup's weatherError.
    const what =
      location.zip === null
        ? `city ${location.city} in ${location.countryCode}`
        : `this postcode in ${location.countryCode}`;
    if (location.zip !== null) {
      const zip = geocoderPostcode(location.zip, location.countryCode);
      const byZip = await this.http.get(
        NAME,
        '/geo/1.0/zip',
        `${this.base}/geo/1.0/zip`,
        { zip: `${zip},${location.countryCode}`, appid: this.key },
        options,
      );
      if (byZip.status === 200) return coordinates(byZip.data as { lat?: unknown; lon?: unknown });
      if (byZip.status !== 404 || !location.city) throw failureForStatus(NAME, byZip.status, what);
    }

    const byCity = await this.http.get(
      NAME,
      '/geo/1.0/direct',
      `${this.base}/geo/1.0/direct`,
      { q: `${location.city},${location.countryCode}`, limit: 1, appid: this.key },
      options,
    );
    // No match is `[]` in some reports and a 404 in others.
    const first = Array.isArray(byCity.data)
      ? (byCity.data[0] as { lat?: unknown; lon?: unknown } | undefined)
      : undefined;
    if (byCity.status === 200 && first) return coordinates(first);
    throw failureForStatus(NAME, byCity.status === 200 ? 404 : byCity.status, what);
  }

  async current(
    { latitude, longitude }: Coordinates,
    options: UpstreamCallOptions,
  ): Promise<ProviderReading> {
    const response = await this.http.get(
      NAME,
      '/data/2.5/weather',
      `${this.base}/data/2.5/weather`,
      { lat: latitude, lon: longitude, units: 'metric', lang: 'en', appid: this.key },
      options,
    );
    if (response.status !== 200)
      throw failureForStatus(NAME, response.status, 'the coordinates of this location');
    const body = response.data as OwmCurrent;
    if (!body || typeof body !== 'object') throw invalidBody();
    const conditions = Array.isArray(body.weather) ? body.weather : [];
    return {
      temperature: requireNumber(NAME, body.main?.temp, 'main.temp'),
      feelsLike: requireNumber(NAME, body.main?.feels_like, 'main.feels_like'),
      humidity: requireNumber(NAME, body.main?.humidity, 'main.humidity'),
      windSpeed: requireNumber(NAME, body.wind?.speed, 'wind.speed'),
      condition: conditions[0]?.main ?? 'Unknown',
      // The array can hold several entries (rain and mist at once).
      description:
        conditions
          .map((entry) => entry.description)
          .filter(Boolean)
          .join(', ') || 'unknown',
      observedAt: new Date(requireNumber(NAME, body.dt, 'dt') * 1000).toISOString(),
    };
  }

  private get base(): string {
    return this.config.weather.openWeatherMapBaseUrl;
  }

  private get key(): string {
    return this.config.weather.apiKey ?? '';
  }
}

function coordinates(body: { lat?: unknown; lon?: unknown } | null): Coordinates {
  if (!body || typeof body !== 'object') throw invalidBody();
  return {
    latitude: requireNumber(NAME, body.lat, 'lat'),
    longitude: requireNumber(NAME, body.lon, 'lon'),
  };
}

function invalidBody(): WeatherUpstreamError {
  return new WeatherUpstreamError('invalid_response', NAME, `${NAME} sent a body that is not JSON`);
}
