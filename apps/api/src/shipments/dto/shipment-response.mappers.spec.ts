import { ShipmentLookup, ShipmentWithHistory } from '@app/shipments';
import { toShipmentDto, toShipmentResponse } from './shipment-response.mappers';

const shipment: ShipmentWithHistory = {
  carrier: 'DHL',
  trackingNumber: 'TN12345678',
  status: 'in_transit',
  carrierStatus: 'in-transit',
  sender: {
    line: 'Street 1, 10115 Berlin, Germany',
    zip: '10115',
    city: 'Berlin',
    country: 'Germany',
    countryCode: 'DE',
  },
  receiver: {
    line: 'Street 10, 75001 Paris, France',
    zip: '75001',
    city: 'Paris',
    country: 'France',
    countryCode: 'FR',
  },
  articles: [{ sku: 'LP123', name: 'Laptop', quantity: 1, price: '800.00' }],
  updatedAt: new Date('2026-11-25T19:00:00.000Z'),
  statusSince: new Date('2026-11-25T08:30:00.000Z'),
  receiverLocation: null,
  events: [
    { status: 'in_transit', carrierStatus: 'in-transit', at: new Date('2026-11-25T08:30:00.000Z') },
    {
      status: 'info_received',
      carrierStatus: 'label created',
      at: new Date('2026-11-24T17:00:00Z'),
    },
  ],
};

const weather: ShipmentLookup['weather'] = {
  report: {
    temperature: 11,
    feelsLike: 9,
    humidity: 80,
    windSpeed: 4,
    condition: 'Clouds',
    description: 'overcast',
    observedAt: '2026-11-25T18:50:00.000Z',
    fetchedAt: '2026-11-25T18:55:00.000Z',
    provider: 'open-meteo',
    stale: false,
    location: { zip: '75001', countryCode: 'FR', locatedBy: 'postcode' },
  },
  error: null,
  failure: null,
};

describe(toShipmentResponse.name, () => {
  it('shows the public view without the proof: city, country and code, no postcode anywhere', () => {
    const sut = toShipmentResponse({ shipment, revealAddresses: false, weather });
    expect(sut.sender).toEqual({ city: 'Berlin', country: 'Germany', countryCode: 'DE' });
    expect(sut.receiver).toEqual({ city: 'Paris', country: 'France', countryCode: 'FR' });
    expect(sut.weather?.location).toEqual({ countryCode: 'FR', locatedBy: 'postcode' });
    expect(JSON.stringify(sut)).not.toMatch(/75001|10115|Street/);
  });

  it('shows the full view with the proof: postcodes, street lines, the weather postcode', () => {
    const sut = toShipmentResponse({ shipment, revealAddresses: true, weather });
    expect(sut.receiver).toEqual({
      zip: '75001',
      city: 'Paris',
      country: 'France',
      countryCode: 'FR',
      address: 'Street 10, 75001 Paris, France',
    });
    expect(sut.weather?.location).toEqual({
      zip: '75001',
      countryCode: 'FR',
      locatedBy: 'postcode',
    });
    expect(sut.articles).toEqual([{ sku: 'LP123', name: 'Laptop', quantity: 1, price: 800 }]);
  });

  it('gives the history newest first and the status time as ISO strings, in both views', () => {
    for (const revealAddresses of [false, true]) {
      const sut = toShipmentResponse({ shipment, revealAddresses, weather });
      expect(sut.statusSince).toBe('2026-11-25T08:30:00.000Z');
      expect(sut.events).toEqual([
        { status: 'in_transit', carrierStatus: 'in-transit', at: '2026-11-25T08:30:00.000Z' },
        { status: 'info_received', carrierStatus: 'label created', at: '2026-11-24T17:00:00.000Z' },
      ]);
    }
  });

  it('says why there is no weather, in both views', () => {
    const none = { report: null, error: 'open-meteo timed out', failure: 'timeout' as const };
    for (const revealAddresses of [false, true]) {
      const sut = toShipmentResponse({ shipment, revealAddresses, weather: none });
      expect([sut.weather, sut.weatherError]).toEqual([null, 'open-meteo timed out']);
    }
  });
});

describe(toShipmentDto.name, () => {
  it('lists operators the full addresses', () => {
    expect(toShipmentDto(shipment).sender).toMatchObject({
      zip: '10115',
      address: 'Street 1, 10115 Berlin, Germany',
    });
  });
});
