import { LocatedBy, locatedBy, WeatherReport } from '@app/weather';
import { ApiProperty } from '@nestjs/swagger';

/** Where a public reading is from: the country only (the postcode is the receiver's proof). */
export class PublicWeatherLocationDto {
  @ApiProperty({ example: 'FR', description: 'ISO 3166-1 alpha-2.' })
  countryCode: string;

  @ApiProperty({
    enum: ['postcode', 'city'],
    example: 'postcode',
    description:
      'How the place was found: by its postcode, or by the city alone when the address has no ' +
      'readable postcode (Hong Kong has none).',
  })
  locatedBy: LocatedBy;
}

export class WeatherLocationDto extends PublicWeatherLocationDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '75001',
    description: 'Null for a place found by its city alone.',
  })
  zip: string | null;
}

/** One reading, normalised across providers. */
class WeatherReadingDto {
  @ApiProperty({ example: 11.4, description: 'Air temperature, °C.' })
  temperature: number;

  @ApiProperty({ example: 9.8, description: 'Perceived temperature, °C.' })
  feelsLike: number;

  @ApiProperty({ example: 81, description: 'Relative humidity, %.' })
  humidity: number;

  @ApiProperty({ example: 4.1, description: 'Wind speed, m/s.' })
  windSpeed: number;

  @ApiProperty({
    example: 'Clouds',
    description: 'Condition group (Clear, Clouds, Rain, Snow, ...).',
  })
  condition: string;

  @ApiProperty({ example: 'overcast clouds' })
  description: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-25T18:50:00.000Z',
    description: "The provider's own timestamp of the reading.",
  })
  observedAt: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-25T18:55:12.345Z',
    description: 'When this service fetched it.',
  })
  fetchedAt: string;

  @ApiProperty({ enum: ['openweathermap', 'open-meteo'], example: 'open-meteo' })
  provider: string;

  @ApiProperty({
    example: false,
    description:
      'True when the reading is older than the freshness window, served because the provider is failing.',
  })
  stale: boolean;
}

/** A reading as the public lookup shows it: the location without its postcode. */
export class PublicWeatherReportDto extends WeatherReadingDto {
  @ApiProperty({ type: PublicWeatherLocationDto })
  location: PublicWeatherLocationDto;
}

/** A reading with its postcode: the full lookup view and `GET /api/v1/weather`. */
export class WeatherReportDto extends WeatherReadingDto {
  @ApiProperty({ type: WeatherLocationDto })
  location: WeatherLocationDto;
}

export function toWeatherReportDto(report: WeatherReport): WeatherReportDto {
  return {
    ...readingFields(report),
    location: {
      zip: report.location.zip,
      countryCode: report.location.countryCode,
      locatedBy: locatedBy(report.location),
    },
  };
}

export function toPublicWeatherReportDto(report: WeatherReport): PublicWeatherReportDto {
  return {
    ...readingFields(report),
    location: { countryCode: report.location.countryCode, locatedBy: locatedBy(report.location) },
  };
}

function readingFields(report: WeatherReport): WeatherReadingDto {
  return {
    temperature: report.temperature,
    feelsLike: report.feelsLike,
    humidity: report.humidity,
    windSpeed: report.windSpeed,
    condition: report.condition,
    description: report.description,
    observedAt: report.observedAt,
    fetchedAt: report.fetchedAt,
    provider: report.provider,
    stale: report.stale,
  };
}
