import { WeatherOutcome } from '@app/weather';
import { ShipmentNotFoundError, ZipMismatchError } from './shipments.errors';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';
import { ShipmentRecord } from './shipment.types';
import { ReceiverWeatherService } from './weather/receiver-weather.service';

const address = (zip: string | null) => ({
  line: 'Dam 1, 1012 JS Amsterdam, Netherlands',
  zip,
  city: 'Amsterdam',
  country: 'Netherlands',
  countryCode: 'NL',
});
const shipment = (receiverZip: string | null): ShipmentRecord => ({
  carrier: 'DHL',
  trackingNumber: 'TN1',
  status: 'in_transit',
  carrierStatus: 'in-transit',
  sender: address('1016 AB'),
  receiver: address(receiverZip),
  articles: [],
  updatedAt: new Date(0),
  receiverLocation: null,
});
const NO_WEATHER: WeatherOutcome = { report: null, error: 'none', failure: 'no_location' };

/** The privacy rule: who sees the street lines. */
describe(ShipmentsService.name, () => {
  const create = (found: ShipmentRecord | null) =>
    new ShipmentsService(
      {
        findByCarrierAndTrackingNumber: () => Promise.resolve(found),
      } as unknown as ShipmentsRepository,
      { forShipment: () => Promise.resolve(NO_WEATHER) } as unknown as ReceiverWeatherService,
    );

  it.each([
    ['anyone, without a zip', { operator: false }, false],
    ['an operator, without a zip', { operator: true }, true],
    [
      'the receiver, with the zip in any case and spacing',
      { operator: false, zip: ' 1012js ' },
      true,
    ],
    [
      'an operator with a wrong zip (the key is the proof)',
      { operator: true, zip: '9999 ZZ' },
      true,
    ],
  ])('reveals the street lines to %s: %j -> %s', async (_, access, reveal) => {
    const lookup = await create(shipment('1012 JS')).lookup('DHL', 'TN1', access);
    expect(lookup.revealAddresses).toBe(reveal);
  });

  it.each([
    ['PL', '31-042', '31042'],
    ['LV', '1050', 'LV-1050'],
    ['BR', '01310-100', '01310100'],
  ])(
    'compares a %s zip in its canonical form (%j typed as %j)',
    async (countryCode, stored, typed) => {
      const found = { ...shipment(stored), receiver: { ...address(stored), countryCode } };
      const lookup = await create(found).lookup('DHL', 'TN1', { operator: false, zip: typed });
      expect(lookup.revealAddresses).toBe(true);
      await expect(
        create(found).lookup('DHL', 'TN1', { operator: false, zip: '99999' }),
      ).rejects.toThrow(ZipMismatchError);
    },
  );

  it('refuses a wrong zip (403), and any zip when the receiver has no postcode', async () => {
    await expect(
      create(shipment('1012 JS')).lookup('DHL', 'TN1', { operator: false, zip: '1012 JT' }),
    ).rejects.toBeInstanceOf(ZipMismatchError);
    await expect(
      create(shipment(null)).lookup('DHL', 'TN1', { operator: false, zip: '' }),
    ).rejects.toBeInstanceOf(ZipMismatchError);
  });

  it('says which shipment is not there, trimmed', async () => {
    await expect(create(null).lookup(' DHL ', ' TN9 ', { operator: false })).rejects.toEqual(
      new ShipmentNotFoundError('DHL', 'TN9'),
    );
  });
});
