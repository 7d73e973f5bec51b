import { WeatherReport } from '@app/weather';
import { ApiProperty } from '@nestjs/swagger';

export class WeatherLocationDto {
  @ApiProperty({ example: '75001' })
  zip: string;

  @ApiProperty({ example: 'FR', description: 'ISO 3166-1 alpha-2.' })
  countryCode: string;
}

/** One reading, normalised across providers. */
export class WeatherReportDto {
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
    example: '2026-11-25T18:50:00.000Z',
    description: "The provider's own timestamp of the reading.",
  })
  observedAt: string;

  @ApiProperty({
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

  @ApiProperty({ type: WeatherLocationDto })
  location: WeatherLocationDto;
}

export function toWeatherReportDto(report: WeatherReport): WeatherReportDto {
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
    location: { zip: report.location.zip, countryCode: report.location.countryCode },
  };
}
