import { ShipmentLookup, ShipmentRecord } from '@app/shipments';
import { toPublicWeatherReportDto, toWeatherReportDto } from '../../weather/dto/weather-report.dto';
import {
  FullLocationDto,
  PublicLocationDto,
  ShipmentCoreDto,
  ShipmentDto,
  ShipmentPageDto,
  ShipmentResponseDto,
} from './shipment-response.dto';

/**
 * A looked-up shipment with its weather, in the view the caller has earned: the full one only
 * when `revealAddresses` (the right zip, or an operator), else the public one. The public view
 * is built field by field, so nothing private can slip in through a spread.
 */
export function toShipmentResponse({
  shipment,
  revealAddresses,
  weather,
}: ShipmentLookup): ShipmentResponseDto {
  const weatherError = weather.report ? null : weather.error;
  const events = shipment.events.map(({ status, carrierStatus, at }) => ({
    status,
    carrierStatus,
    at: at.toISOString(),
  }));
  if (revealAddresses) {
    return {
      ...toShipmentDto(shipment),
      events,
      weather: weather.report ? toWeatherReportDto(weather.report) : null,
      weatherError,
    };
  }
  return {
    ...toCore(shipment),
    sender: toPublicLocation(shipment.sender),
    receiver: toPublicLocation(shipment.receiver),
    events,
    weather: weather.report ? toPublicWeatherReportDto(weather.report) : null,
    weatherError,
  };
}

/** The full view of a shipment, as operators list it. */
export function toShipmentDto(shipment: ShipmentRecord): ShipmentDto {
  return {
    ...toCore(shipment),
    sender: toFullLocation(shipment.sender),
    receiver: toFullLocation(shipment.receiver),
  };
}

export function toShipmentPage(
  items: ShipmentRecord[],
  total: number,
  page: number,
  limit: number,
): ShipmentPageDto {
  return { items: items.map(toShipmentDto), total, page, limit };
}

type Party = ShipmentRecord['sender'];

function toPublicLocation({ city, country, countryCode }: Party): PublicLocationDto {
  return { city, country, countryCode };
}

function toFullLocation({ zip, city, country, countryCode, line }: Party): FullLocationDto {
  return { zip, city, country, countryCode, address: line };
}

function toCore(shipment: ShipmentRecord): ShipmentCoreDto {
  return {
    trackingNumber: shipment.trackingNumber,
    carrier: shipment.carrier,
    status: shipment.status,
    carrierStatus: shipment.carrierStatus,
    articles: shipment.articles.map(({ sku, name, quantity, price }) => ({
      sku,
      name,
      quantity: Number(quantity),
      price: Number(price),
    })),
    updatedAt: new Date(shipment.updatedAt).toISOString(),
    statusSince: shipment.statusSince ? new Date(shipment.statusSince).toISOString() : null,
  };
}
