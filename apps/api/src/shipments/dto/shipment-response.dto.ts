import {
  CANONICAL_STATUSES,
  CanonicalStatus,
  ShipmentLookup,
  ShipmentRecord,
} from '@app/shipments';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toWeatherReportDto, WeatherReportDto } from '../../weather/dto/weather-report.dto';

export class LocationDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '75001',
    description: 'Postcode, as a string (leading zeros matter).',
  })
  zip: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Paris' })
  city: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'France',
    description: 'English country name.',
  })
  country: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'FR', description: 'ISO 3166-1 alpha-2.' })
  countryCode: string | null;

  @ApiPropertyOptional({
    example: 'Street 10, 75001 Paris, France',
    description:
      'The full address line as imported. Only with a matching `zip` or an operator API key.',
  })
  address?: string;
}

export class ArticleDto {
  @ApiProperty({ example: 'LP123' })
  sku: string;

  @ApiProperty({ example: 'Laptop' })
  name: string;

  @ApiProperty({ example: 1, minimum: 1 })
  quantity: number;

  @ApiProperty({ example: 800, minimum: 0, description: 'Unit price, two decimals at most.' })
  price: number;
}

/** A shipment as listed: everything but the weather. */
export class ShipmentDto {
  @ApiProperty({ example: 'TN12345678' })
  trackingNumber: string;

  @ApiProperty({ example: 'DHL', description: 'The carrier as imported.' })
  carrier: string;

  @ApiProperty({
    enum: CANONICAL_STATUSES,
    example: 'in_transit',
    description: 'Carrier-neutral status.',
  })
  status: CanonicalStatus;

  @ApiProperty({
    example: 'in-transit',
    description: 'The status exactly as the carrier reported it.',
  })
  carrierStatus: string;

  @ApiProperty({ type: LocationDto })
  sender: LocationDto;

  @ApiProperty({ type: LocationDto })
  receiver: LocationDto;

  @ApiProperty({ type: [ArticleDto] })
  articles: ArticleDto[];

  @ApiProperty({
    example: '2026-11-25T19:00:00.000Z',
    description: 'Last change to the shipment or its articles.',
  })
  updatedAt: string;
}

/** A looked-up shipment: with the current weather at the receiver. */
export class ShipmentResponseDto extends ShipmentDto {
  @ApiProperty({
    type: WeatherReportDto,
    nullable: true,
    description:
      "Current weather at the receiver's postcode; null when there is none (see weatherError).",
  })
  weather: WeatherReportDto | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description:
      'Why weather is null, in words: address not parseable, provider failing, timed out, rate limited, ' +
      'postcode unknown to the provider. Null when weather is present.',
  })
  weatherError: string | null;
}

export class ShipmentPageDto {
  @ApiProperty({ type: [ShipmentDto] })
  items: ShipmentDto[];

  @ApiProperty({ example: 5, description: 'Shipments matching the filter, over all pages.' })
  total: number;

  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: 20, description: 'The page size used (requested, capped at 100).' })
  limit: number;
}

/** A looked-up shipment with its weather. */
export function toShipmentResponse({
  shipment,
  revealAddresses,
  weather,
}: ShipmentLookup): ShipmentResponseDto {
  return {
    ...toShipmentDto(shipment, revealAddresses),
    weather: weather.report ? toWeatherReportDto(weather.report) : null,
    weatherError: weather.report ? null : weather.error,
  };
}

/** Builds the public shape of a shipment; street lines only when `revealAddresses`. */
export function toShipmentDto(shipment: ShipmentRecord, revealAddresses: boolean): ShipmentDto {
  const location = (side: 'sender' | 'receiver'): LocationDto => {
    const { zip, city, country, countryCode, line } = shipment[side];
    return revealAddresses
      ? { zip, city, country, countryCode, address: line }
      : { zip, city, country, countryCode };
  };
  return {
    trackingNumber: shipment.trackingNumber,
    carrier: shipment.carrier,
    status: shipment.status,
    carrierStatus: shipment.carrierStatus,
    sender: location('sender'),
    receiver: location('receiver'),
    articles: shipment.articles.map(({ sku, name, quantity, price }) => ({
      sku,
      name,
      quantity: Number(quantity),
      price: Number(price),
    })),
    updatedAt: new Date(shipment.updatedAt).toISOString(),
  };
}

export function toShipmentPage(
  items: ShipmentRecord[],
  total: number,
  page: number,
  limit: number,
): ShipmentPageDto {
  return { items: items.map((shipment) => toShipmentDto(shipment, true)), total, page, limit };
}
