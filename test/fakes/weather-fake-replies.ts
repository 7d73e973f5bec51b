/** What the loopback fake answers per provider endpoint, from reference/weather-providers.md. */
export interface Place {
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
  // Hong Kong has no postcodes: found by its city alone.
  { countryCode: 'HK', zip: '', city: 'Wan Chai', lat: 22.2783, lon: 114.1747 },
];

export function errorBody(path: string, status: number): unknown {
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
      message: 'Invalid API key. Please see https://openweathermap.org/faq#error401 for more info.',
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

export function meteoSearch(q: Record<string, string>): [number, unknown] {
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

export function meteoForecast(q: Record<string, string>): [number, unknown] {
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

export function zippopotam(path: string): [number, unknown] {
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

/** Deterministic weather per place, so tests can compute what to expect. */
export function kelvinAt(lat: number, lon: number): number {
  return round2(280 + (Math.abs(lat) % 7) + (Math.abs(lon) % 3));
}

export function windAt(lat: number): number {
  return round2(2 + (Math.abs(lat) % 5));
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
