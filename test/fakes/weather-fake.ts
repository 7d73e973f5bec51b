import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A loopback fake of OpenWeatherMap, Open-Meteo (forecast and geocoding) and Zippopotam, built
 * from shared/reference/weather-providers.md: same paths, parameters, bodies, key order, number
 * types and error shapes. Knobs: latency, hanging, forced statuses, broken bodies; every request
 * is logged so tests can count calls and check what was sent.
 */

interface Place {
  countryCode: string;
  zip: string;
  city: string;
  lat: number;
  lon: number;
  /** Postcodes Open-Meteo's geocoder lists for the city (often few or none). */
  postcodes?: string[];
}

export const PLACES: Place[] = [
  {
    countryCode: 'FR',
    zip: '75001',
    city: 'Paris',
    lat: 48.8592,
    lon: 2.3417,
    postcodes: ['75001', '75020', '75002'],
  },
  {
    countryCode: 'DE',
    zip: '10115',
    city: 'Berlin',
    lat: 52.5323,
    lon: 13.3846,
    postcodes: ['10178'],
  },
  { countryCode: 'BE', zip: '1000', city: 'Brussels', lat: 50.8466, lon: 4.3528 },
  {
    countryCode: 'ES',
    zip: '28013',
    city: 'Madrid',
    lat: 40.42,
    lon: -3.7058,
    postcodes: ['28013'],
  },
  { countryCode: 'NL', zip: '1016', city: 'Amsterdam', lat: 52.3738, lon: 4.8826 },
  { countryCode: 'DK', zip: '1050', city: 'Copenhagen', lat: 55.6777, lon: 12.5864 },
  { countryCode: 'GB', zip: 'SW1A', city: 'London', lat: 51.5014, lon: -0.1419 },
];

export interface LoggedRequest {
  /** When it arrived (ms since the epoch). */
  at: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

export type FakeProvider = 'openweathermap' | 'open-meteo';

export const FAKE_OWM_KEY = 'fake-owm-key-0123456789';

export class WeatherFake {
  readonly requests: LoggedRequest[] = [];
  /** Added to every answer, in ms. */
  latencyMs = 0;
  /** Never answer (the client must give up on its own). */
  hang = false;
  /** Most requests in flight at once since the last reset. */
  peakInFlight = 0;
  private inFlight = 0;
  private forced: { status: number; remaining: number; body?: string }[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WeatherFake> {
    const server = createServer();
    const fake = new WeatherFake(server);
    server.on('request', (req, res) => void fake.handle(req, res));
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The variables that point the service at this fake. */
  env(provider: FakeProvider): Record<string, string> {
    return {
      WEATHER_PROVIDER: provider,
      ...(provider === 'openweathermap' ? { WEATHER_API_KEY: FAKE_OWM_KEY } : {}),
      OPENWEATHERMAP_BASE_URL: this.url,
      OPEN_METEO_BASE_URL: this.url,
      OPEN_METEO_GEOCODING_BASE_URL: this.url,
      ZIPPOPOTAM_BASE_URL: `${this.url}/zippopotam`,
    };
  }

  /** The next `times` requests get `status` (with the provider's error body unless given). */
  failNext(status: number, times = 1, body?: string): void {
    this.forced.push({ status, remaining: times, body });
  }

  /** Every request from now on gets `status` until `recover()`. */
  failAll(status: number, body?: string): void {
    this.forced = [{ status, remaining: Number.POSITIVE_INFINITY, body }];
  }

  recover(): void {
    this.forced = [];
    this.hang = false;
    this.latencyMs = 0;
  }

  reset(): void {
    this.recover();
    this.requests.length = 0;
    this.peakInFlight = 0;
  }

  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number {
    return this.requests.filter((request) => request.path.startsWith(prefix)).length;
  }

  get weatherCalls(): number {
    return this.count('/data/2.5/weather') + this.count('/v1/forecast');
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ at: Date.now(), path: url.pathname, query, headers: req.headers });
    if (this.hang) return; // the socket stays open until the client aborts
    this.peakInFlight = Math.max(this.peakInFlight, ++this.inFlight);
    res.on('close', () => this.inFlight--);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (res.destroyed) return;

    const forced = this.forced[0];
    if (forced) {
      if (--forced.remaining <= 0) this.forced.shift();
      return this.send(
        res,
        forced.status,
        forced.body ?? this.errorBody(url.pathname, forced.status),
      );
    }
    const [status, body] = this.route(url.pathname, query);
    this.send(res, status, body);
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(text);
  }

  private errorBody(path: string, status: number): unknown {
    if (path.startsWith('/v1/')) {
      return status === 429
        ? {
            error: true,
            reason: 'Minutely API request limit exceeded. Please try again in one minute.',
          }
        : { error: true, reason: `Internal error ${status}` };
    }
    if (status === 401)
      return {
        cod: 401,
        message:
          'Invalid API key. Please see https://openweathermap.org/faq#error401 for more info.',
      };
    if (status === 429)
      return {
        cod: 429,
        message:
          'Your account is temporary blocked due to exceeding of requests limitation of your subscription type.',
      };
    return status >= 500
      ? '<html><body>Bad gateway</body></html>'
      : { cod: String(status), message: 'error' };
  }

  private route(path: string, q: Record<string, string>): [number, unknown] {
    if (path === '/geo/1.0/zip' || path === '/geo/1.0/direct' || path === '/data/2.5/weather') {
      // OpenWeatherMap checks the key before anything else.
      const key = q.appid ?? q.APPID;
      if (key !== FAKE_OWM_KEY) return [401, this.errorBody(path, 401)];
    }
    switch (path) {
      case '/geo/1.0/zip':
        return this.owmZip(q.zip ?? '');
      case '/geo/1.0/direct':
        return this.owmDirect(q.q ?? '');
      case '/data/2.5/weather':
        return this.owmWeather(q);
      case '/v1/search':
        return this.meteoSearch(q);
      case '/v1/forecast':
        return this.meteoForecast(q);
      default:
        if (path.startsWith('/zippopotam/')) return this.zippopotam(path);
        return [404, { error: true, reason: 'Not found' }];
    }
  }

  private owmZip(zipParam: string): [number, unknown] {
    const [zip, cc = 'us'] = zipParam.split(',');
    if (!zip) return [400, { cod: '400', message: 'Nothing to geocode' }];
    const place = PLACES.find(
      (p) => p.countryCode === cc.toUpperCase() && p.zip === zip.toUpperCase(),
    );
    if (!place) return [404, { cod: '404', message: 'not found' }];
    return [
      200,
      {
        zip: place.zip,
        name: place.city,
        lat: place.lat,
        lon: place.lon,
        country: place.countryCode,
      },
    ];
  }

  private owmDirect(q: string): [number, unknown] {
    const [city, cc] = q.split(',');
    const place = PLACES.find(
      (p) =>
        p.city.toLowerCase() === city?.toLowerCase() && (!cc || p.countryCode === cc.toUpperCase()),
    );
    return [
      200,
      place
        ? [{ name: place.city, lat: place.lat, lon: place.lon, country: place.countryCode }]
        : [],
    ];
  }

  private owmWeather(q: Record<string, string>): [number, unknown] {
    const lat = Number(q.lat);
    const lon = Number(q.lon);
    if (q.lat === undefined || !Number.isFinite(lat) || lat < -90 || lat > 90)
      return [400, { cod: '400', message: 'wrong latitude' }];
    if (q.lon === undefined || !Number.isFinite(lon) || lon < -180 || lon > 180)
      return [400, { cod: '400', message: 'wrong longitude' }];
    const kelvin = kelvinAt(lat, lon);
    const convert = (k: number): number =>
      q.units === 'metric'
        ? round2(k - 273.15)
        : q.units === 'imperial'
          ? round2(((k - 273.15) * 9) / 5 + 32)
          : round2(k);
    const wind = q.units === 'imperial' ? round2(windAt(lat) * 2.23694) : windAt(lat);
    const paris = Math.abs(lat - 48.8592) < 0.01;
    const dt = 1764096000;
    return [
      200,
      {
        coord: { lon, lat },
        weather: paris
          ? [
              { id: 502, main: 'Rain', description: 'heavy intensity rain', icon: '10d' },
              { id: 701, main: 'Mist', description: 'mist', icon: '50d' },
            ]
          : [{ id: 804, main: 'Clouds', description: 'overcast clouds', icon: '04d' }],
        base: 'stations',
        main: {
          temp: convert(kelvin),
          feels_like: convert(kelvin - 2),
          temp_min: convert(kelvin - 0.5),
          temp_max: convert(kelvin + 0.5),
          pressure: 1016,
          humidity: 79,
          sea_level: 1016,
          grnd_level: 1012,
        },
        visibility: 10000,
        wind: { speed: wind, deg: 189, gust: round2(wind * 1.8) },
        ...(paris ? { rain: { '1h': 3.16 } } : {}),
        clouds: { all: 100 },
        dt,
        sys: { type: 2, id: 2031790, country: 'XX', sunrise: dt - 20000, sunset: dt + 20000 },
        timezone: 3600,
        id: 2641549,
        name: 'Somewhere',
        cod: 200,
      },
    ];
  }

  private meteoSearch(q: Record<string, string>): [number, unknown] {
    const count = q.count === undefined ? 10 : Number(q.count);
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      return [400, { error: true, reason: 'Parameter count must be between 1 and 100.' }];
    }
    const name = (q.name ?? '').trim();
    const none = { generationtime_ms: 0.42 };
    if (name.length < 2) return [200, none];
    const matches = PLACES.filter(
      (p) =>
        p.city.toLowerCase().startsWith(name.toLowerCase()) &&
        (!q.countryCode || p.countryCode === q.countryCode),
    );
    if (matches.length === 0) return [200, none];
    return [
      200,
      {
        results: matches.slice(0, count).map((p, i) => ({
          id: 2988507 + i,
          name: p.city,
          latitude: p.lat,
          longitude: p.lon,
          elevation: 42.0,
          feature_code: 'PPLC',
          country_code: p.countryCode,
          timezone: 'Europe/Paris',
          population: 2138551,
          ...(p.postcodes ? { postcodes: p.postcodes } : {}),
          country: p.countryCode,
        })),
        generationtime_ms: 0.9,
      },
    ];
  }

  private meteoForecast(q: Record<string, string>): [number, unknown] {
    const lat = Number(q.latitude);
    const lon = Number(q.longitude);
    if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
      return [
        400,
        { error: true, reason: `Latitude must be in range of -90 to 90°. Given: ${q.latitude}.` },
      ];
    }
    if (!Number.isFinite(lon) || lon < -180 || lon > 180) {
      return [
        400,
        {
          error: true,
          reason: `Longitude must be in range of -180 to 180°. Given: ${q.longitude}.`,
        },
      ];
    }
    const names = (q.current ?? '').split(',').filter(Boolean);
    const known: Record<string, [string, number]> = {
      temperature_2m: ['°C', round2(kelvinAt(lat, lon) - 273.15)],
      relative_humidity_2m: ['%', 58],
      apparent_temperature: ['°C', round2(kelvinAt(lat, lon) - 275.15)],
      is_day: ['', 1],
      weather_code: ['wmo code', 3],
      wind_speed_10m: [
        q.wind_speed_unit === 'ms' ? 'm/s' : 'km/h',
        q.wind_speed_unit === 'ms' ? windAt(lat) : round2(windAt(lat) * 3.6),
      ],
      wind_direction_10m: ['°', 245],
    };
    const unknown = names.find((name) => !(name in known));
    if (unknown) {
      return [
        400,
        {
          error: true,
          reason: `Cannot initialize WeatherVariable from invalid String value ${unknown} for key current`,
        },
      ];
    }
    const offset = q.timezone === 'auto' ? 3600 : 0;
    const utc = new Date(Date.UTC(2026, 10, 25, 17, 45));
    const local = new Date(utc.getTime() + offset * 1000).toISOString().slice(0, 16);
    const current: Record<string, unknown> = { time: local, interval: 900 };
    const units: Record<string, string> = { time: 'iso8601', interval: 'seconds' };
    for (const name of names) {
      units[name] = known[name][0];
      current[name] = known[name][1];
    }
    return [
      200,
      {
        // The grid cell's centre, not the requested point.
        latitude: Math.round(lat * 50) / 50 + 0.0000002,
        longitude: Math.round(lon * 50) / 50 - 0.0000003,
        generationtime_ms: 0.0641345977783203,
        utc_offset_seconds: offset,
        timezone: offset ? 'Europe/Paris' : 'GMT',
        timezone_abbreviation: offset ? 'GMT+1' : 'GMT',
        elevation: 43.0,
        current_units: units,
        current,
      },
    ];
  }

  private zippopotam(path: string): [number, unknown] {
    const [, , cc, code] = path.split('/');
    const place = PLACES.find(
      (p) =>
        p.countryCode === (cc ?? '').toUpperCase() &&
        p.zip === decodeURIComponent(code ?? '').toUpperCase(),
    );
    if (!place) return [404, {}];
    return [
      200,
      {
        'post code': place.zip,
        country: place.countryCode,
        'country abbreviation': place.countryCode,
        places: [
          {
            'place name': place.city,
            longitude: String(place.lon),
            state: '',
            'state abbreviation': '',
            latitude: String(place.lat),
          },
        ],
      },
    ];
  }
}

/** Deterministic weather per place, so tests can compute what to expect. */
export function kelvinAt(lat: number, lon: number): number {
  return round2(280 + (Math.abs(lat) % 7) + (Math.abs(lon) % 3));
}

export function windAt(lat: number): number {
  return round2(2 + (Math.abs(lat) % 5));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
