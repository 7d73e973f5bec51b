import { CANONICAL_STATUSES, CanonicalStatus } from '@app/shipments';
import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import { PublicWeatherReportDto, WeatherReportDto } from '../../weather/dto/weather-report.dto';

/** What anyone may see of a party: where it is on a map, no postcode, no street line. */
export class PublicLocationDto {
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
}

/** A party as the receiver (with the right `zip`) and operators see it. */
export class FullLocationDto extends PublicLocationDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '75001',
    description: 'Postcode, as a string (leading zeros matter).',
  })
  zip: string | null;

  @ApiProperty({
    example: 'Street 10, 75001 Paris, France',
    description: 'The full address line as imported.',
  })
  address: string;
}

export class ArticleDto {
  @ApiProperty({ example: 'LP123' })
  sku: string;

  @ApiProperty({ example: 'Laptop' })
  name: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1 })
  quantity: number;

  @ApiProperty({ example: 800, minimum: 0, description: 'Unit price, two decimals at most.' })
  price: number;
}

/** What every view of a shipment carries. */
export class ShipmentCoreDto {
  @ApiProperty({ example: 'TN12345678' })
  trackingNumber: string;

  @ApiProperty({ example: 'DHL', description: 'The carrier as imported.' })
  carrier: string;

  @ApiProperty({
    enum: CANONICAL_STATUSES,
    enumName: 'CanonicalStatus',
    example: 'in_transit',
    description: 'Carrier-neutral status.',
  })
  status: CanonicalStatus;

  @ApiProperty({
    example: 'in-transit',
    description: 'The status exactly as the carrier reported it.',
  })
  carrierStatus: string;

  @ApiProperty({ type: [ArticleDto] })
  articles: ArticleDto[];

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-25T19:00:00.000Z',
    description: 'Last change to the shipment or its articles.',
  })
  updatedAt: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-11-25T08:30:00.000Z',
    description:
      "Since when the shipment has its current status: the time of the history's latest event " +
      '(the CSV `status_time`, or the import that recorded it). Null only without any history.',
  })
  statusSince: string | null;
}

/** One status the shipment has had. */
export class StatusEventDto {
  @ApiProperty({ enum: CANONICAL_STATUSES, enumName: 'CanonicalStatus', example: 'in_transit' })
  status: CanonicalStatus;

  @ApiProperty({
    example: 'in-transit',
    description: 'The status exactly as the carrier reported it.',
  })
  carrierStatus: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-25T08:30:00.000Z',
    description: "When it happened: the CSV's `status_time`, else the time of the import.",
  })
  at: string;
}

/** A shipment as listed to operators: full addresses, no weather. */
export class ShipmentDto extends ShipmentCoreDto {
  @ApiProperty({ type: FullLocationDto })
  sender: FullLocationDto;

  @ApiProperty({ type: FullLocationDto })
  receiver: FullLocationDto;
}

const WEATHER_ERROR_DESCRIPTION =
  'Why weather is null, in words: address not parseable, provider failing, timed out, budget ' +
  'used up, weather cache unavailable, postcode unknown to the provider. Null when weather is present.';

/** What both views of a looked-up shipment carry besides the parties and the reading. */
class LookedUpShipmentDto extends ShipmentCoreDto {
  @ApiProperty({
    type: [StatusEventDto],
    description:
      'The status history, newest first: an event per status the imports recorded (a new ' +
      'shipment, a changed status), in the order they were recorded, so the first is the ' +
      'current status. At most the 100 newest.',
  })
  events: StatusEventDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: WEATHER_ERROR_DESCRIPTION,
  })
  weatherError: string | null;
}

/**
 * The public view of a looked-up shipment (no `zip`, or no operator key): city, country and
 * country code of each party, never a postcode or a street line.
 */
export class PublicShipmentResponseDto extends LookedUpShipmentDto {
  @ApiProperty({ type: PublicLocationDto })
  sender: PublicLocationDto;

  @ApiProperty({ type: PublicLocationDto })
  receiver: PublicLocationDto;

  @ApiProperty({
    type: PublicWeatherReportDto,
    nullable: true,
    description:
      "Current weather at the receiver's location; null when there is none (see weatherError).",
  })
  weather: PublicWeatherReportDto | null;
}

/**
 * The full view: asked with the receiver's postcode as `zip`, or with an operator key. Adds the
 * postcode and the street line of each party, and the postcode of the weather location.
 */
export class FullShipmentResponseDto extends LookedUpShipmentDto {
  @ApiProperty({ type: FullLocationDto })
  sender: FullLocationDto;

  @ApiProperty({ type: FullLocationDto })
  receiver: FullLocationDto;

  @ApiProperty({
    type: WeatherReportDto,
    nullable: true,
    description:
      "Current weather at the receiver's postcode; null when there is none (see weatherError).",
  })
  weather: WeatherReportDto | null;
}

export type ShipmentResponseDto = PublicShipmentResponseDto | FullShipmentResponseDto;

/** Registers both lookup views with Swagger (the 200 response is one of them). */
export const ApiShipmentViews = (): ClassDecorator & MethodDecorator =>
  ApiExtraModels(PublicShipmentResponseDto, FullShipmentResponseDto);

export class ShipmentPageDto {
  @ApiProperty({ type: [ShipmentDto] })
  items: ShipmentDto[];

  @ApiProperty({
    type: 'integer',
    example: 5,
    description: 'Shipments matching the filter, over all pages.',
  })
  total: number;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1 })
  page: number;

  @ApiProperty({
    type: 'integer',
    example: 20,
    description: 'The page size used (requested, capped at 100).',
  })
  limit: number;
}
