import type { ShipmentLookup, ShipmentWithHistory } from '@app/shipments';
import type { WeatherReport } from '@app/weather';
import { shipmentPage, ShipmentPageModel } from './pages';

const place = (line: string, zip: string, city: string) => ({
  line,
  zip,
  city,
  country: 'Germany',
  countryCode: 'DE',
});
const shipment: ShipmentWithHistory = {
  carrier: 'DHL',
  trackingNumber: 'TN1',
  status: 'exception',
  carrierStatus: 'customs <hold>',
  sender: place('Hauptstraße 5, 80331 München, Germany', '80331', 'München'),
  receiver: place('Invalidenstraße 117, 10115 Berlin, Germany', '10115', 'Berlin'),
  articles: [{ sku: 'LP1', name: 'Laptop <b>', quantity: 1, price: '899.90' }],
  updatedAt: new Date('2026-11-30T08:00:00Z'),
  statusSince: new Date('2026-11-30T08:00:00Z'),
  receiverLocation: null,
  events: [
    { status: 'exception', carrierStatus: 'customs <hold>', at: new Date('2026-11-30T08:00:00Z') },
  ],
};
const report: WeatherReport = {
  temperature: 6.6,
  feelsLike: 3.2,
  humidity: 81,
  windSpeed: 4.4,
  condition: 'Rain',
  description: 'light rain',
  observedAt: '2026-11-30T07:45:00.000Z',
  fetchedAt: '2026-11-30T07:50:00.000Z',
  provider: 'open-meteo',
  stale: true,
  location: { zip: '10115', countryCode: 'DE', locatedBy: 'postcode' },
};
const model = (lookup: Partial<ShipmentLookup> = {}): ShipmentPageModel => ({
  lookup: {
    shipment,
    revealAddresses: false,
    weather: { report, error: null, failure: null },
    ...lookup,
  },
  notice: null,
  timeZone: 'Europe/Berlin',
});
const en = { language: 'en', chosen: false } as const;

describe(shipmentPage.name, () => {
  it('shows the reading with its icon, in the receiver zone, marked when it is stale', () => {
    const page = shipmentPage(en, model());
    expect(page).toContain('<div class="weather__temp">7 °C</div>');
    expect(page).toContain('<div class="weather__condition">Rain</div>');
    expect(page).toMatch(/<svg class="weather__icon"[^>]*aria-hidden="true"/);
    expect(page).toContain('30 Nov 2026, 08:45 CET');
    expect(page).toContain('Not current: the weather service is not answering');
  });

  it('says why there is no weather, in the page language', () => {
    const none = { report: null, error: 'open-meteo timed out', failure: 'timeout' as const };
    expect(shipmentPage(en, model({ weather: none }))).toContain(
      'The weather service did not answer in time.',
    );
    expect(shipmentPage({ language: 'de', chosen: true }, model({ weather: none }))).toContain(
      'Der Wetterdienst hat nicht rechtzeitig geantwortet.',
    );
  });

  it('shows city and country only, until the postcode reveals the street lines', () => {
    const closed = shipmentPage(en, model());
    expect(closed).toContain('Berlin, Germany');
    expect(closed).not.toMatch(/Invalidenstraße|Hauptstraße|10115|80331/);
    const open = shipmentPage(en, model({ revealAddresses: true }));
    expect(open).toContain('Invalidenstraße 117, 10115 Berlin, Germany');
    expect(open).not.toContain('name="zip"');
  });

  it('escapes what the CSV brought, and marks an exception as the current detour', () => {
    const page = shipmentPage(en, model());
    expect(page).toContain('customs &lt;hold&gt;');
    expect(page).toContain('Laptop &lt;b&gt;');
    expect(page).not.toMatch(/<hold>|<b>/);
    expect(page).toMatch(
      /step--current step--detour"\s+aria-current="step"\s*>[\s\S]*?Problem with the shipment/,
    );
  });

  it('names the countries in the page language', () => {
    expect(shipmentPage({ language: 'de', chosen: false }, model())).toContain(
      'Berlin, Deutschland',
    );
  });

  it('keeps a chosen language in its links and forms', () => {
    const page = shipmentPage({ language: 'de', chosen: true }, model());
    expect(page).toContain('<input type="hidden" name="lang" value="de" />');
    expect(page).toContain('href="/track/DHL/TN1?lang=en"');
  });
});
