import { createClient } from '@keyv/redis';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../support/api-app';
import { DataSource } from 'typeorm';
import { kelvinAt, PLACES } from '../fakes/weather-fake';
import { freshRedisUrl, itWithRedis } from '../support/redis';
import { lookup, paris, useWeatherBed } from '../support/weather-bed';

/**
 * The weather in the lookup against loopback provider fakes. Each case starts its own app, so
 * without Redis each has a cold in-process cache; only what needs Redis itself (a cache shared
 * by two processes, its key names) is gated on it.
 */
const HEADER =
  'tracking_number,carrier,sender_address,receiver_address,article_name,article_quantity,article_price,sku,status';

describe('Weather in the lookup (loopback provider fakes)', () => {
  const bed = useWeatherBed();

  it('adds the normalised weather at the receiver, then serves it from the cache without calling again', async () => {
    const app = await bed.start();
    const first = await lookup(app, 'DHL', 'TN900').expect(200);
    expect(first.body.weatherError).toBeNull();
    expect(first.body.weather).toEqual({
      temperature: Math.round((kelvinAt(paris.lat, paris.lon) - 273.15) * 100) / 100,
      feelsLike: expect.any(Number),
      humidity: 58,
      windSpeed: expect.any(Number),
      condition: 'Clouds',
      description: 'overcast',
      observedAt: '2026-11-25T17:45:00.000Z',
      fetchedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      provider: 'open-meteo',
      stale: false,
      // The public view: the country only, never the receiver's postcode.
      location: { countryCode: 'FR', locatedBy: 'postcode' },
    });
    const calls = bed.fake.requests.length;
    // Same location, other shipment: no further upstream call.
    await lookup(app, 'DHL', 'TN901').expect(200);
    await lookup(app, 'dhl', 'tn900').expect(200);
    expect(bed.fake.requests.length).toBe(calls);
    // Only postcode, city and country left the service; units as the reference says.
    const search = bed.fake.requests.find((r) => r.path === '/v1/search')!;
    expect(search.query).toMatchObject({ name: 'Paris', countryCode: 'FR', count: '10' });
    const forecast = bed.fake.requests.find((r) => r.path === '/v1/forecast')!;
    expect(forecast.query).toMatchObject({ wind_speed_unit: 'ms', timezone: 'auto' });
    expect(JSON.stringify(bed.fake.requests)).not.toMatch(/Street|Rue/);
  });

  itWithRedis(
    'writes every Redis key under its prefix (shipments:), so it can share a Redis',
    async () => {
      const url = await freshRedisUrl();
      await lookup(await bed.start({ REDIS_URL: url }), 'DHL', 'TN900').expect(200);
      const redis = createClient({ url });
      await redis.connect();
      try {
        const keys = await redis.keys('*');
        expect(keys).toEqual(expect.arrayContaining(['shipments:weather:v1:reading:FR:75001']));
        expect(keys.filter((key) => !key.startsWith('shipments:'))).toEqual([]);
      } finally {
        await redis.close();
      }
    },
  );

  it('keeps the geocoded coordinates on the location for good', async () => {
    const app = await bed.start();
    await lookup(app, 'DHL', 'TN900').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [row] = await app
      .get(DataSource)
      .query(
        `SELECT latitude, longitude, weather_provider, weather_fetched_at FROM locations WHERE zip = '75001'`,
      );
    expect(row).toMatchObject({
      latitude: paris.lat,
      longitude: paris.lon,
      weather_provider: 'open-meteo',
    });
    expect(row.weather_fetched_at).not.toBeNull();
  });

  it('makes exactly one upstream weather call for 40 concurrent lookups of a cold location', async () => {
    const app = await bed.start();
    bed.fake.latencyMs = 100;
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => lookup(app, 'UPS', 'TN902')),
    );
    expect(
      responses.every(
        (res) => res.status === 200 && res.body.weather?.location.countryCode === 'BE',
      ),
    ).toBe(true);
    expect(bed.fake.weatherCalls).toBe(1);
  });

  itWithRedis('finds the cache warm from a new API process (Redis shared)', async () => {
    const url = await freshRedisUrl();
    const first = await bed.start({ REDIS_URL: url });
    await lookup(first, 'DHL', 'TN900').expect(200);
    bed.fake.reset();
    const second = await bed.start({ REDIS_URL: url });
    const res = await lookup(second, 'DHL', 'TN900').expect(200);
    expect(res.body.weather.location).toEqual({ countryCode: 'FR', locatedBy: 'postcode' });
    expect(bed.fake.requests).toHaveLength(0);
  });

  it('answers with weather null and a reason while the provider fails, and serves it again once it is back', async () => {
    const app = await bed.start();
    bed.fake.failAll(500);
    const failing = await lookup(app, 'DPD', 'TN903').expect(200);
    expect(failing.body.weather).toBeNull();
    expect(failing.body.weatherError).toMatch(/^open-meteo is failing \(HTTP 500\)/);
    bed.fake.recover();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // WEATHER_RETRY_AFTER_SECONDS
    const back = await lookup(app, 'DPD', 'TN903').expect(200);
    expect(back.body.weather).toMatchObject({
      location: { countryCode: 'ES' },
      stale: false,
    });
    expect(back.body.weatherError).toBeNull();
  });

  it('answers in time when the provider is slow', async () => {
    const app = await bed.start();
    bed.fake.latencyMs = 3000;
    const started = Date.now();
    const res = await lookup(app, 'FedEx', 'TN904').expect(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.body.weather).toBeNull();
    expect(res.body.weatherError).toBe('open-meteo did not answer within 400 ms');
  });

  it('says why when the address has no location or the postcode is unknown', async () => {
    const app = await bed.start();
    const noLocation = await lookup(app, 'DHL', 'TN907').expect(200);
    expect(noLocation.body).toMatchObject({
      weather: null,
      weatherError: expect.stringMatching(/no recognisable country/),
    });
    const unknown = await lookup(app, 'DHL', 'TN908').expect(200);
    expect(unknown.body).toMatchObject({
      weather: null,
      weatherError: 'open-meteo does not know this postcode in FR',
    });
    // The public view: the receiver's postcode appears nowhere, not even in the reason.
    expect(JSON.stringify(unknown.body)).not.toContain('99999');
  });

  it.each(['open-meteo', 'openweathermap'] as const)(
    'finds a receiver without a postcode by its city and says so (%s)',
    async (provider) => {
      const dir = await mkdtemp(join(tmpdir(), 'by-city-'));
      const csv = join(dir, 'hong-kong.csv');
      await writeFile(
        csv,
        `${HEADER}\nTNHK1,DHL,"Street 1, 10115 Berlin, Germany","1 Harbour Road, Wan Chai, Hong Kong",Tea,1,5,T1,in-transit\n`,
      );
      await importFile(bed.config, csv);
      const app = await bed.start(bed.fake.env(provider));
      // Each provider geocodes it afresh.
      await app
        .get(DataSource)
        .query(`UPDATE locations SET latitude = NULL, longitude = NULL WHERE country_code = 'HK'`);
      const res = await lookup(app, 'DHL', 'TNHK1').expect(200);
      expect(res.body).toMatchObject({
        receiver: { city: 'Wan Chai', country: 'Hong Kong', countryCode: 'HK' },
        weather: { location: { countryCode: 'HK', locatedBy: 'city' } },
        weatherError: null,
      });
      const asked = bed.fake.requests.find((r) => /search|direct/.test(r.path))!;
      expect(asked.query.name ?? asked.query.q).toMatch(/^Wan Chai/);
      await rm(dir, { recursive: true, force: true });
    },
  );

  it('serves the last good reading marked stale when the provider fails after it expired', async () => {
    const app = await bed.start({ WEATHER_CACHE_TTL_SECONDS: '1' });
    await lookup(app, 'GLS', 'TN905').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    bed.fake.failAll(503);
    const res = await lookup(app, 'GLS', 'TN905').expect(200);
    expect(res.body.weather).toMatchObject({
      stale: true,
      location: { countryCode: 'DK' },
    });
  });

  it('says when the call budget is used up', async () => {
    const app = await bed.start({
      WEATHER_MAX_CALLS_PER_MINUTE: '1',
    });
    // Known coordinates, so each lookup needs exactly one call.
    for (const place of PLACES.filter((p) => p.zip === '1000' || p.zip === '28013')) {
      await app
        .get(DataSource)
        .query('UPDATE locations SET latitude = $1, longitude = $2 WHERE zip = $3', [
          place.lat,
          place.lon,
          place.zip,
        ]);
    }
    expect((await lookup(app, 'UPS', 'TN902').expect(200)).body.weather).not.toBeNull();
    const res = await lookup(app, 'DPD', 'TN903').expect(200);
    expect(res.body.weather).toBeNull();
    expect(res.body.weatherError).toBe(
      'the weather call budget (1 per minute) is used up; try again within a minute',
    );
    expect(bed.fake.weatherCalls).toBe(1);
  });
});
